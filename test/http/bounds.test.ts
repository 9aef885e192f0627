// SPEC 7 "Bounds", one row per bounded field: the value just inside the range is accepted, the
// value just outside answers 400 naming the field and leaves every table as it was. Audit
// finding 2 too: values of 10^12 are refused, nothing is saved and the lists still answer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASES } from '../support/databases.ts';
import { errorOf, openApi, snapshot, type TestApi } from './support.ts';

const P = '/api/v1/projects/p1';

interface Bound {
  field: string;
  method: 'PUT' | 'POST' | 'PATCH';
  url: string;
  body: (value: unknown) => unknown;
  inside: unknown[];
  outside: unknown[];
}

let serial = 0;
/** A fresh id each call, so an accepted value never collides with the one before. */
const next = () => `x${++serial}`;

const broadcast = (schedule: Record<string, unknown>) => ({
  recipients: [{ case: 'c1' }],
  schedule,
  content: { text: 'hi' },
});
const daily = { type: 'daily', time: '09:00' };

const BOUNDS: Bound[] = [
  {
    field: 'schedule.delay_minutes',
    method: 'PUT',
    url: `${P}/broadcasts/`,
    body: (v) => broadcast({ type: 'immediate', delay_minutes: v }),
    inside: [0, 525_600],
    outside: [-1, 525_601],
  },
  {
    field: 'schedule.start_offset_days',
    method: 'PUT',
    url: `${P}/broadcasts/`,
    body: (v) => broadcast({ ...daily, start_offset_days: v }),
    inside: [-3650, 3650],
    outside: [-3651, 3651],
  },
  {
    field: 'schedule.every',
    method: 'PUT',
    url: `${P}/broadcasts/`,
    body: (v) => broadcast({ ...daily, every: v }),
    inside: [1, 3650],
    outside: [0, 3651],
  },
  {
    field: 'schedule.every',
    method: 'PUT',
    url: `${P}/broadcasts/`,
    body: (v) => broadcast({ type: 'weekly', days: ['mon'], time: '09:00', every: v }),
    inside: [520],
    outside: [521],
  },
  {
    field: 'schedule.every',
    method: 'PUT',
    url: `${P}/broadcasts/`,
    body: (v) => broadcast({ type: 'monthly', days: [1], time: '09:00', every: v }),
    inside: [120],
    outside: [121],
  },
  {
    field: 'schedule.occurrences',
    method: 'PUT',
    url: `${P}/broadcasts/`,
    body: (v) => broadcast({ ...daily, occurrences: v }),
    inside: [1, 10_000],
    outside: [0, 10_001],
  },
  {
    field: 'schedule.start_date',
    method: 'PUT',
    url: `${P}/broadcasts/`,
    body: (v) => broadcast({ ...daily, start_date: v }),
    inside: ['1900-01-01', '2200-12-31'],
    outside: ['1899-12-31', '2201-01-01', '0001-01-01', '9999-12-31'],
  },
  {
    field: 'schedule.start_offset_days',
    method: 'PUT',
    url: `${P}/alerts/`,
    body: (v) => ({
      case_type: 'patient',
      criteria: [],
      schedule: { ...daily, start_offset_days: v },
      content: { text: 'hi' },
    }),
    inside: [3650],
    outside: [3651],
  },
  {
    field: 'expiry_hours',
    method: 'PUT',
    url: `${P}/surveys/`,
    body: (v) => ({ questions: [{ id: 'q', type: 'text', text: { '*': 'Q?' } }], expiry_hours: v }),
    inside: [1, 168],
    outside: [0, 169],
  },
  {
    field: 'reminder_minutes[0]',
    method: 'PUT',
    url: `${P}/surveys/`,
    body: (v) => ({ questions: [{ id: 'q', type: 'text', text: { '*': 'Q?' } }], reminder_minutes: [v] }),
    inside: [525_600],
    outside: [525_601],
  },
  {
    field: 'daily_sms_limit',
    method: 'PUT',
    url: P,
    body: (v) => ({ daily_sms_limit: v }),
    inside: [0, 1_000_000],
    outside: [-1, 1_000_001],
  },
  {
    field: 'rate_limit_per_minute',
    method: 'PUT',
    url: `${P}/gateways/`,
    body: (v) => ({ type: 'test', rate_limit_per_minute: v }),
    inside: [1, 1_000_000],
    outside: [0, 1_000_001],
  },
  {
    field: 'max_attempts',
    method: 'PUT',
    url: `${P}/gateways/`,
    body: (v) => ({ type: 'test', max_attempts: v }),
    inside: [1, 20],
    outside: [0, 21],
  },
  {
    field: 'retry_minutes',
    method: 'PUT',
    url: `${P}/gateways/`,
    body: (v) => ({ type: 'test', retry_minutes: v }),
    inside: [0.5, 10_080],
    outside: [0, 10_081],
  },
  {
    field: 'server_modified_on',
    method: 'PUT',
    url: `${P}/cases/`,
    body: (v) => ({ properties: {}, server_modified_on: v }),
    inside: ['1900-01-01T00:00:00Z', '2200-12-31T23:59:59Z'],
    outside: ['1899-12-31T23:59:59Z', '2201-01-01T00:00:00Z'],
  },
  {
    field: 'at',
    method: 'POST',
    url: `${P}/messages`,
    body: (v) => ({ to: { case: 'c1' }, text: 'hi', at: v }),
    inside: ['2200-12-31T23:59:59Z'],
    outside: ['2201-01-01T00:00:00Z', '275760-09-13T00:00:00Z'],
  },
];

/** Finding 2: numbers far out of range, each refused naming its field. */
const HUGE: { field: string; schedule: Record<string, unknown> }[] = [
  { field: 'schedule.delay_minutes', schedule: { type: 'immediate', delay_minutes: 1e12 } },
  { field: 'schedule.start_offset_days', schedule: { ...daily, start_offset_days: 1e12 } },
  { field: 'schedule.every', schedule: { ...daily, every: 1e12 } },
  { field: 'schedule.occurrences', schedule: { ...daily, occurrences: 1e12 } },
];

const urlOf = (bound: Bound) => (bound.url.endsWith('/') ? `${bound.url}${next()}` : bound.url);

for (const name of DATABASES) {
  describe(`bounds on ${name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await openApi(name);
      await api.ok('PUT', P, {});
      await api.ok('PUT', `${P}/cases/c1`, { properties: { contact_phone_number: '+254712345678' } });
    });
    after(() => api.close());

    for (const bound of BOUNDS) {
      test(`${bound.method} ${bound.url.replace(P, '')} ${bound.field}: ${bound.inside.join(', ')} accepted, ${bound.outside.join(', ')} refused`, async () => {
        for (const value of bound.outside) {
          const saved = await snapshot(api.t.db);
          const response = await api.call(bound.method, urlOf(bound), { body: bound.body(value) });
          assert.equal(response.statusCode, 400, `${String(value)}: ${response.body}`);
          assert.equal(errorOf(response).field, bound.field, `${String(value)}: ${response.body}`);
          assert.deepEqual(await snapshot(api.t.db), saved, `${String(value)} changed the database`);
        }
        for (const value of bound.inside) {
          const response = await api.call(bound.method, urlOf(bound), { body: bound.body(value) });
          assert.ok(response.statusCode < 300, `${String(value)}: ${response.statusCode} ${response.body}`);
        }
      });
    }

    test('finding 2: 10^12 in a schedule is refused, nothing is saved and every list still answers', async () => {
      const saved = await snapshot(api.t.db);
      for (const { field, schedule } of HUGE) {
        const response = await api.call('PUT', `${P}/broadcasts/huge`, { body: broadcast(schedule) });
        assert.equal(response.statusCode, 400, response.body);
        assert.equal(errorOf(response).field, field);
      }
      assert.deepEqual(await snapshot(api.t.db), saved);
      assert.equal((await api.call('GET', `${P}/broadcasts/huge`)).statusCode, 404);
      for (const list of ['broadcasts', 'alerts', 'messages', 'events', 'surveys', 'gateways']) {
        const response = await api.call('GET', `${P}/${list}?limit=500`);
        assert.equal(response.statusCode, 200, `${list}: ${response.body}`);
      }
    });

    test('a case property date out of range removes the instance with its reason; the worker goes on', async () => {
      await api.ok('PUT', `${P}/alerts/far`, {
        case_type: 'far',
        criteria: [],
        schedule: { ...daily, start_property: 'edd', start_offset_days: -3650 },
        content: { text: 'hi' },
      });
      for (const [id, edd] of [
        ['f1', '0001-01-01'],
        ['f2', '9999-12-31'],
        ['f3', '2026-01-10'],
      ] as const) {
        await api.ok('PUT', `${P}/cases/${id}`, {
          type: 'far',
          properties: { contact_phone_number: '+254712345678', edd },
        });
      }
      const alert = await api.ok('GET', `${P}/alerts/far`);
      // Only the case with a date in range has an instance.
      assert.equal(alert.instance_count, 1, JSON.stringify(alert));
    });
  });
}

test('every number a request can carry has its range in the OpenAPI document', async () => {
  const api = await openApi('sqlite');
  try {
    const document = await api.ok('GET', '/api/v1/openapi.json');
    const open: string[] = [];
    let checked = 0;
    const visit = (node: unknown, where: string, seen: Set<unknown>): void => {
      if (node === null || typeof node !== 'object' || seen.has(node)) return;
      seen.add(node);
      const schema = node as Record<string, unknown>;
      if (typeof schema.$ref === 'string') {
        const target = schema.$ref
          .replace(/^#\//, '')
          .split('/')
          .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], document);
        visit(target, where, seen);
        return;
      }
      if (schema.type === 'integer' || schema.type === 'number') {
        checked++;
        const low = schema.minimum ?? schema.exclusiveMinimum;
        const high = schema.maximum ?? schema.exclusiveMaximum;
        if (typeof low !== 'number' || typeof high !== 'number') open.push(where);
      }
      for (const [key, value] of Object.entries(schema))
        visit(value, key === 'properties' || key === 'items' ? where : `${where}.${key}`, seen);
    };
    for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, unknown>>)) {
      for (const [method, operation] of Object.entries(methods)) {
        const { requestBody, parameters } = operation as { requestBody?: unknown; parameters?: unknown };
        visit(requestBody, `${method.toUpperCase()} ${path} body`, new Set());
        visit(parameters, `${method.toUpperCase()} ${path} parameters`, new Set());
      }
    }
    assert.deepEqual(open, [], 'numbers without a range');
    assert.ok(checked >= 20, `only ${checked} numbers found: the walk misses the schemas`);
  } finally {
    await api.close();
  }
});
