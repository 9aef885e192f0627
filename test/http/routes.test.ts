// Every route of the API, on both databases: a success, a validation error naming the field,
// a missing resource (404); and, generated from the route table, a missing or wrong key (401)
// and another project's key (404) — each of those changing nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { processPendingAlerts } from '../../src/app/scheduling/alerts.ts';
import { DATABASES } from '../support/databases.ts';
import { errorOf, openApi, snapshot, type TestApi } from './support.ts';

interface Call {
  url: string;
  body?: unknown;
  /** Which key: admin (default), p1's key, or none. */
  as?: 'admin' | 'p1';
}

interface RouteCase {
  route: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies of many shapes, checked field by field
  success: Call & { status: number; check?: (body: any) => void };
  bad: Call & { field: string; status?: number };
  /** null: the route answers for anything (a list, an upsert, a number's state). */
  notFound: Call | null;
}

const LONG = 'x'.repeat(201);
const KE = '+254712345678';

const SURVEY = {
  questions: [
    { id: 'visits', type: 'int', text: { '*': 'How many visits this month?' }, save_to: 'visits' },
    {
      id: 'feeling',
      type: 'single',
      text: { '*': 'How do you feel?', sw: 'Unajisikiaje?' },
      choices: [
        { value: 'good', text: { '*': 'Good' } },
        { value: 'bad', text: { '*': 'Bad' } },
      ],
    },
  ],
  expiry_hours: 48,
  reminder_minutes: [60],
};
const KEYWORD = { action: 'survey', survey: 's1', reply: { text: 'Welcome' }, allow: 'cases' };
const ALERT = {
  case_type: 'patient',
  criteria: [{ property: 'village', op: 'equals', value: 'Kisumu' }],
  schedule: { type: 'daily', time: '09:00', occurrences: 3 },
  content: { text: 'Hello {case.name}' },
};
const BROADCAST = {
  recipients: [{ case: 'c1' }],
  schedule: { type: 'daily', time: '09:00', occurrences: 2 },
  content: { text: 'Your visit is this week.' },
};

/** The table: one entry per route, in the order they run (later ones may use earlier state). */
const CASES: RouteCase[] = [
  {
    route: 'GET /api/v1/projects',
    success: {
      url: '/api/v1/projects',
      status: 200,
      check: (b) => assert.ok(b.projects.some((p: { id: string }) => p.id === 'p1')),
    },
    bad: { url: '/api/v1/projects?limit=0', field: 'limit' },
    notFound: null,
  },
  {
    route: 'PUT /api/v1/projects/:project',
    success: {
      url: '/api/v1/projects/p3',
      body: { time_zone: 'Africa/Nairobi' },
      status: 201,
      check: (b) => assert.equal(b.settings.time_zone, 'Africa/Nairobi'),
    },
    bad: { url: '/api/v1/projects/p3', body: { daily_sms_limit: -1 }, field: 'daily_sms_limit' },
    notFound: null,
  },
  {
    route: 'GET /api/v1/projects/:project',
    success: { url: '/api/v1/projects/p1', as: 'p1', status: 200, check: (b) => assert.equal(b.id, 'p1') },
    bad: { url: `/api/v1/projects/${LONG}`, field: 'project' },
    notFound: { url: '/api/v1/projects/nope' },
  },
  {
    route: 'POST /api/v1/projects/:project/keys',
    success: {
      url: '/api/v1/projects/p3/keys',
      body: { name: 'app' },
      status: 201,
      check: (b) => assert.match(b.key, /^cl_/),
    },
    bad: { url: '/api/v1/projects/p3/keys', body: { name: 5 }, field: 'name' },
    notFound: { url: '/api/v1/projects/nope/keys', body: {} },
  },
  {
    route: 'GET /api/v1/projects/:project/keys',
    success: {
      url: '/api/v1/projects/p3/keys',
      status: 200,
      check: (b) => assert.ok(b.keys.length >= 1 && b.keys.every((k: object) => !('key' in k))),
    },
    bad: { url: `/api/v1/projects/${LONG}/keys`, field: 'project' },
    notFound: { url: '/api/v1/projects/nope/keys' },
  },
  {
    route: 'GET /api/v1/projects/:project/keys/:id',
    success: {
      url: '/api/v1/projects/p3/keys/{p3key}',
      status: 200,
      check: (b) => assert.ok(b.name === 'app' && !('key' in b)),
    },
    bad: { url: `/api/v1/projects/p3/keys/${LONG}`, field: 'id' },
    notFound: { url: '/api/v1/projects/p3/keys/key_nope' },
  },
  {
    route: 'PATCH /api/v1/projects/:project/keys/:id',
    success: {
      url: '/api/v1/projects/p3/keys/{p3key}',
      body: { name: 'renamed' },
      status: 200,
      check: (b) => assert.equal(b.name, 'renamed'),
    },
    bad: { url: '/api/v1/projects/p3/keys/{p3key}', body: { name: '' }, field: 'name' },
    notFound: { url: '/api/v1/projects/p3/keys/key_nope', body: { name: 'x' } },
  },
  {
    route: 'DELETE /api/v1/projects/:project/keys/:id',
    success: { url: '/api/v1/projects/p3/keys/{p3key}', status: 204 },
    bad: { url: `/api/v1/projects/p3/keys/${LONG}`, field: 'id' },
    notFound: { url: '/api/v1/projects/p3/keys/key_nope' },
  },
  {
    route: 'PUT /api/v1/projects/:project/gateways/:id',
    success: {
      url: '/api/v1/projects/p1/gateways/gw-p1b',
      as: 'p1',
      body: { type: 'test', prefixes: ['256'] },
      status: 201,
      check: (b) => assert.equal(b.project, 'p1'),
    },
    bad: {
      url: '/api/v1/projects/p1/gateways/gw-p1b',
      as: 'p1',
      body: { type: 'http', config: { url: 'ftp://x' } },
      field: 'config.url',
    },
    notFound: { url: '/api/v1/projects/nope/gateways/gw9', body: {} },
  },
  {
    route: 'GET /api/v1/projects/:project/gateways',
    success: {
      url: '/api/v1/projects/p1/gateways',
      as: 'p1',
      status: 200,
      check: (b) => assert.deepEqual(b.gateways.map((g: { id: string }) => g.id).sort(), ['gw-p1', 'gw-p1b']),
    },
    bad: { url: `/api/v1/projects/${LONG}/gateways`, field: 'project' },
    notFound: { url: '/api/v1/projects/nope/gateways' },
  },
  {
    route: 'GET /api/v1/projects/:project/gateways/:id',
    success: {
      url: '/api/v1/projects/p1/gateways/gw-p1',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.default, true),
    },
    bad: { url: `/api/v1/projects/p1/gateways/${LONG}`, field: 'id' },
    notFound: { url: '/api/v1/projects/p1/gateways/gw-global' },
  },
  {
    route: 'PATCH /api/v1/projects/:project/gateways/:id',
    success: {
      url: '/api/v1/projects/p1/gateways/gw-p1b',
      as: 'p1',
      body: { rate_limit_per_minute: 30 },
      status: 200,
      check: (b) => assert.deepEqual([b.rate_limit_per_minute, b.prefixes], [30, ['256']]),
    },
    bad: {
      url: '/api/v1/projects/p1/gateways/gw-p1b',
      as: 'p1',
      body: { max_attempts: 0 },
      field: 'max_attempts',
    },
    notFound: { url: '/api/v1/projects/p1/gateways/gw-global', body: {} },
  },
  {
    route: 'GET /api/v1/projects/:project/prefixes',
    success: {
      url: '/api/v1/projects/p1/prefixes',
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.deepEqual(b, {
          prefixes: [{ id: '256', prefix: '256', gateway: 'gw-p1b', project: 'p1' }],
          next_cursor: null,
        }),
    },
    bad: { url: '/api/v1/projects/p1/prefixes?limit=0', as: 'p1', field: 'limit' },
    notFound: { url: '/api/v1/projects/nope/prefixes' },
  },
  {
    route: 'PUT /api/v1/projects/:project/prefixes/:prefix',
    success: {
      url: '/api/v1/projects/p1/prefixes/255',
      as: 'p1',
      body: { gateway: 'gw-p1' },
      status: 201,
      check: (b) => assert.deepEqual([b.id, b.gateway], ['255', 'gw-p1']),
    },
    bad: {
      url: '/api/v1/projects/p1/prefixes/255',
      as: 'p1',
      body: { gateway: 'gw-global' },
      field: 'gateway',
    },
    notFound: { url: '/api/v1/projects/nope/prefixes/255', body: { gateway: 'gw-p1' } },
  },
  {
    route: 'GET /api/v1/projects/:project/prefixes/:prefix',
    success: {
      url: '/api/v1/projects/p1/prefixes/255',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.gateway, 'gw-p1'),
    },
    bad: { url: '/api/v1/projects/p1/prefixes/25a', as: 'p1', field: 'prefix' },
    notFound: { url: '/api/v1/projects/p1/prefixes/999' },
  },
  {
    route: 'PATCH /api/v1/projects/:project/prefixes/:prefix',
    success: {
      url: '/api/v1/projects/p1/prefixes/255',
      as: 'p1',
      body: { gateway: 'gw-p1b' },
      status: 200,
      check: (b) => assert.equal(b.gateway, 'gw-p1b'),
    },
    bad: { url: '/api/v1/projects/p1/prefixes/255', as: 'p1', body: { gateway: 7 }, field: 'gateway' },
    notFound: { url: '/api/v1/projects/p1/prefixes/999', body: { gateway: 'gw-p1' } },
  },
  {
    route: 'DELETE /api/v1/projects/:project/prefixes/:prefix',
    success: { url: '/api/v1/projects/p1/prefixes/255', as: 'p1', status: 204 },
    bad: { url: '/api/v1/projects/p1/prefixes/-1', as: 'p1', field: 'prefix' },
    notFound: { url: '/api/v1/projects/p1/prefixes/999' },
  },
  {
    route: 'DELETE /api/v1/projects/:project/gateways/:id',
    success: { url: '/api/v1/projects/p1/gateways/gw-p1b', as: 'p1', status: 204 },
    bad: { url: `/api/v1/projects/p1/gateways/${LONG}`, field: 'id' },
    notFound: { url: '/api/v1/projects/p1/gateways/gw-none' },
  },
  {
    route: 'PUT /api/v1/gateways/:id',
    success: {
      url: '/api/v1/gateways/gw-global2',
      body: { type: 'test', prefixes: ['1'] },
      status: 201,
      check: (b) => assert.equal(b.project, null),
    },
    bad: { url: '/api/v1/gateways/gw-global2', body: { prefixes: ['12a'] }, field: 'prefixes[0]' },
    notFound: null,
  },
  {
    route: 'PATCH /api/v1/gateways/:id',
    success: {
      url: '/api/v1/gateways/gw-global2',
      body: { default_country: 'ke' },
      status: 200,
      check: (b) => assert.deepEqual([b.default_country, b.prefixes], ['KE', ['1']]),
    },
    bad: { url: '/api/v1/gateways/gw-global2', body: { default_country: 'Kenya' }, field: 'default_country' },
    notFound: { url: '/api/v1/gateways/nope', body: {} },
  },
  {
    route: 'GET /api/v1/prefixes',
    success: {
      url: '/api/v1/prefixes',
      status: 200,
      check: (b) =>
        assert.deepEqual(b.prefixes, [{ id: '1', prefix: '1', gateway: 'gw-global2', project: null }]),
    },
    bad: { url: '/api/v1/prefixes?cursor=', field: 'cursor' },
    notFound: null,
  },
  {
    route: 'PUT /api/v1/prefixes/:prefix',
    success: { url: '/api/v1/prefixes/44', body: { gateway: 'gw-global2' }, status: 201 },
    bad: { url: '/api/v1/prefixes/44', body: { gateway: 'gw-p1' }, field: 'gateway' },
    notFound: null,
  },
  {
    route: 'GET /api/v1/prefixes/:prefix',
    success: { url: '/api/v1/prefixes/44', status: 200, check: (b) => assert.equal(b.gateway, 'gw-global2') },
    bad: { url: `/api/v1/prefixes/${'4'.repeat(16)}`, field: 'prefix' },
    notFound: { url: '/api/v1/prefixes/999' },
  },
  {
    route: 'PATCH /api/v1/prefixes/:prefix',
    success: {
      url: '/api/v1/prefixes/44',
      body: { gateway: 'gw-global' },
      status: 200,
      check: (b) => assert.equal(b.gateway, 'gw-global'),
    },
    bad: { url: '/api/v1/prefixes/44', body: { gateway: 'gw-global', extra: 1 }, field: 'body' },
    notFound: { url: '/api/v1/prefixes/999', body: { gateway: 'gw-global' } },
  },
  {
    route: 'DELETE /api/v1/prefixes/:prefix',
    success: { url: '/api/v1/prefixes/44', status: 204 },
    bad: { url: '/api/v1/prefixes/4x', field: 'prefix' },
    notFound: { url: '/api/v1/prefixes/999' },
  },
  {
    route: 'GET /api/v1/gateways',
    success: {
      url: '/api/v1/gateways',
      status: 200,
      check: (b) => assert.ok(b.gateways.some((g: { id: string }) => g.id === 'gw-global')),
    },
    bad: { url: '/api/v1/gateways?x=1', field: 'querystring' },
    notFound: null,
  },
  {
    route: 'GET /api/v1/gateways/:id',
    success: { url: '/api/v1/gateways/gw-p1', status: 200, check: (b) => assert.equal(b.project, 'p1') },
    bad: { url: `/api/v1/gateways/${LONG}`, field: 'id' },
    notFound: { url: '/api/v1/gateways/nope' },
  },
  {
    route: 'DELETE /api/v1/gateways/:id',
    success: { url: '/api/v1/gateways/gw-global2', status: 204 },
    bad: { url: `/api/v1/gateways/${LONG}`, field: 'id' },
    notFound: { url: '/api/v1/gateways/gw-none' },
  },
  {
    route: 'PUT /api/v1/projects/:project/cases/:id',
    success: {
      url: '/api/v1/projects/p1/cases/c2',
      as: 'p1',
      body: { name: 'Baraka', properties: { contact_phone_number: '+254712345679' } },
      status: 201,
      check: (b) => assert.equal(b.status, 'created'),
    },
    bad: { url: '/api/v1/projects/p1/cases/c2', as: 'p1', body: { closed: 'yes' }, field: 'closed' },
    notFound: { url: '/api/v1/projects/nope/cases/c2', body: {} },
  },
  {
    route: 'GET /api/v1/projects/:project/cases',
    success: {
      url: '/api/v1/projects/p1/cases?limit=1',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.cases.length, 1),
    },
    bad: { url: '/api/v1/projects/p1/cases?limit=abc', as: 'p1', field: 'limit' },
    notFound: { url: '/api/v1/projects/nope/cases' },
  },
  {
    route: 'GET /api/v1/projects/:project/cases/:id',
    success: {
      url: '/api/v1/projects/p1/cases/c1',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.properties.contact_phone_number, KE),
    },
    bad: { url: `/api/v1/projects/p1/cases/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/cases/nope' },
  },
  {
    route: 'DELETE /api/v1/projects/:project/cases/:id',
    success: {
      url: '/api/v1/projects/p1/cases/c2',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.case.deleted, true),
    },
    bad: { url: `/api/v1/projects/p1/cases/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/cases/nope' },
  },
  {
    route: 'POST /api/v1/projects/:project/cases/batch',
    success: {
      url: '/api/v1/projects/p1/cases/batch',
      as: 'p1',
      body: { cases: [{ id: 'b1' }, { id: 'b2', type: 7 }] },
      status: 200,
      check: (b) => assert.deepEqual(b.counts, { created: 1, updated: 0, ignored: 0, errors: 1 }),
    },
    bad: { url: '/api/v1/projects/p1/cases/batch', as: 'p1', body: { cases: 'b1' }, field: 'cases' },
    notFound: { url: '/api/v1/projects/nope/cases/batch', body: { cases: [] } },
  },
  {
    route: 'PUT /api/v1/projects/:project/mobile-workers/:id',
    success: {
      url: '/api/v1/projects/p1/mobile-workers/w2',
      as: 'p1',
      body: { name: 'Wanjiru', phone_numbers: ['+254712345670'] },
      status: 201,
    },
    bad: {
      url: '/api/v1/projects/p1/mobile-workers/w2',
      as: 'p1',
      body: { phone_numbers: '+254712345670' },
      field: 'phone_numbers',
    },
    notFound: { url: '/api/v1/projects/nope/mobile-workers/w2', body: {} },
  },
  {
    route: 'GET /api/v1/projects/:project/mobile-workers',
    success: {
      url: '/api/v1/projects/p1/mobile-workers',
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.deepEqual(
          b.mobile_workers.map((w: { id: string }) => w.id),
          ['w1', 'w2'],
        ),
    },
    bad: { url: '/api/v1/projects/p1/mobile-workers?limit=501', as: 'p1', field: 'limit' },
    notFound: { url: '/api/v1/projects/nope/mobile-workers' },
  },
  {
    route: 'GET /api/v1/projects/:project/mobile-workers/:id',
    success: {
      url: '/api/v1/projects/p1/mobile-workers/w1',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.name, 'Otieno'),
    },
    bad: { url: `/api/v1/projects/p1/mobile-workers/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/mobile-workers/nope' },
  },
  {
    route: 'PATCH /api/v1/projects/:project/mobile-workers/:id',
    success: {
      url: '/api/v1/projects/p1/mobile-workers/w2',
      as: 'p1',
      body: { language: 'sw' },
      status: 200,
      check: (b) => assert.deepEqual([b.language, b.name], ['sw', 'Wanjiru']),
    },
    bad: { url: '/api/v1/projects/p1/mobile-workers/w2', as: 'p1', body: { active: 'yes' }, field: 'active' },
    notFound: { url: '/api/v1/projects/p1/mobile-workers/nope', body: {} },
  },
  {
    route: 'PATCH /api/v1/projects/:project/mobile-workers/:id/phone-numbers/:number',
    success: {
      url: `/api/v1/projects/p1/mobile-workers/w2/phone-numbers/${encodeURIComponent('+254712345670')}`,
      as: 'p1',
      body: { number: '+254712345671' },
      status: 200,
      check: (b) => assert.deepEqual(b.phone_numbers, ['+254712345671']),
    },
    bad: {
      url: '/api/v1/projects/p1/mobile-workers/w2/phone-numbers/254712345671',
      as: 'p1',
      body: { number: 5 },
      field: 'number',
    },
    notFound: {
      url: '/api/v1/projects/p1/mobile-workers/w2/phone-numbers/254700000000',
      body: { number: '+254712345672' },
    },
  },
  {
    route: 'DELETE /api/v1/projects/:project/mobile-workers/:id/phone-numbers/:number',
    success: { url: '/api/v1/projects/p1/mobile-workers/w2/phone-numbers/0712345671', as: 'p1', status: 204 },
    bad: {
      url: `/api/v1/projects/p1/mobile-workers/w2/phone-numbers/${'1'.repeat(201)}`,
      as: 'p1',
      field: 'number',
    },
    notFound: { url: '/api/v1/projects/p1/mobile-workers/w2/phone-numbers/254700000000' },
  },
  {
    route: 'POST /api/v1/projects/:project/mobile-workers/:id/verifications',
    success: {
      url: '/api/v1/projects/p1/mobile-workers/w1/verifications',
      as: 'p1',
      body: { number: '+254 711 111 111' },
      status: 200,
      check: (b) => assert.equal(b.result, 'WORKFLOW_STARTED'),
    },
    bad: {
      url: '/api/v1/projects/p1/mobile-workers/w1/verifications',
      as: 'p1',
      body: { number: '+254 799 999 999' },
      field: 'number',
    },
    notFound: { url: '/api/v1/projects/p1/mobile-workers/nope/verifications', body: { number: KE } },
  },
  {
    route: 'POST /api/v1/projects/:project/messages',
    success: {
      url: '/api/v1/projects/p1/messages',
      as: 'p1',
      body: { to: { case: 'c1' }, text: 'Hello' },
      status: 202,
      check: (b) => assert.equal(b.sub_events[0].error, null),
    },
    bad: {
      url: '/api/v1/projects/p1/messages',
      as: 'p1',
      body: { to: { patient: 'c1' }, text: 'Hello' },
      field: 'to',
    },
    notFound: { url: '/api/v1/projects/nope/messages', body: { to: { case: 'c1' }, text: 'x' } },
  },
  {
    route: 'GET /api/v1/projects/:project/messages',
    success: {
      url: `/api/v1/projects/p1/messages?contact=case:c1&number=${encodeURIComponent(KE)}`,
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.ok(
          b.messages.length >= 1 && b.messages.every((m: { phone: string }) => m.phone === '254712345678'),
        ),
    },
    bad: { url: '/api/v1/projects/p1/messages?status=lost', as: 'p1', field: 'status' },
    notFound: { url: '/api/v1/projects/nope/messages' },
  },
  {
    route: 'GET /api/v1/projects/:project/messages/:id',
    success: {
      url: '/api/v1/projects/p1/messages/{message}',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.event.sub_events.length, 1),
    },
    bad: { url: '/api/v1/projects/p1/messages/abc', as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/messages/999999' },
  },
  {
    route: 'PATCH /api/v1/projects/:project/messages/:id',
    success: {
      url: '/api/v1/projects/p1/messages/{message}',
      as: 'p1',
      body: { text: 'First, again', at: '2026-01-06T08:00:00Z' },
      status: 200,
      check: (b) =>
        assert.deepEqual(
          [b.text, b.due_at, b.status],
          ['First, again', '2026-01-06T08:00:00.000Z', 'queued'],
        ),
    },
    bad: { url: '/api/v1/projects/p1/messages/{message}', as: 'p1', body: { at: 'tomorrow' }, field: 'at' },
    notFound: { url: '/api/v1/projects/p1/messages/999999', body: { text: 'x' } },
  },
  {
    route: 'POST /api/v1/projects/:project/messages/:id/replies',
    success: {
      url: '/api/v1/projects/p1/messages/{inbound}/replies',
      as: 'p1',
      body: { text: 'Thank you' },
      status: 202,
      check: (b) => assert.ok(Number.isInteger(b.message_id)),
    },
    bad: {
      url: '/api/v1/projects/p1/messages/{inbound}/replies',
      as: 'p1',
      body: { text: 5 },
      field: 'text',
    },
    notFound: { url: '/api/v1/projects/p1/messages/{message}/replies', body: { text: 'x' } },
  },
  {
    route: 'DELETE /api/v1/projects/:project/messages/:id',
    success: { url: '/api/v1/projects/p1/messages/{message}', as: 'p1', status: 204 },
    bad: { url: '/api/v1/projects/p1/messages/0', as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/messages/999999' },
  },
  {
    route: 'GET /api/v1/messages',
    success: {
      url: '/api/v1/messages?direction=in&project=none',
      status: 200,
      check: (b) =>
        assert.deepEqual(
          b.messages.map((m: { text: string }) => m.text),
          ['who is this?'],
        ),
    },
    bad: { url: '/api/v1/messages?direction=sideways', field: 'direction' },
    notFound: null,
  },
  {
    route: 'POST /api/v1/messages/:id/replies',
    success: { url: '/api/v1/messages/{orphan}/replies', body: { text: 'A clinic.' }, status: 202 },
    bad: { url: '/api/v1/messages/{orphan}/replies', body: {}, field: 'text' },
    notFound: { url: '/api/v1/messages/{inbound}/replies', body: { text: 'x' } },
  },
  {
    route: 'GET /api/v1/projects/:project/events',
    success: {
      url: '/api/v1/projects/p1/events?source=api',
      as: 'p1',
      status: 200,
      check: (b) => assert.ok(b.events.length >= 1),
    },
    bad: { url: '/api/v1/projects/p1/events?from=yesterday', as: 'p1', field: 'from' },
    notFound: { url: '/api/v1/projects/nope/events' },
  },
  {
    route: 'GET /api/v1/projects/:project/events/:id',
    success: {
      url: '/api/v1/projects/p1/events/{event}',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.sub_events[0].recipient.id, 'c1'),
    },
    bad: { url: '/api/v1/projects/p1/events/0', as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/events/999999' },
  },
  {
    route: 'GET /api/v1/projects/:project/contacts/:kind/:id/why',
    success: {
      url: '/api/v1/projects/p1/contacts/case/c1/why',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.phone_status, 'ONE_WAY'),
    },
    bad: { url: '/api/v1/projects/p1/contacts/patient/c1/why', as: 'p1', field: 'kind' },
    notFound: { url: '/api/v1/projects/p1/contacts/mobile_worker/nope/why' },
  },
  {
    route: 'GET /api/v1/phone-numbers/:number',
    success: {
      url: `/api/v1/phone-numbers/${encodeURIComponent(KE)}`,
      status: 200,
      check: (b) => assert.equal(b.entries[0].contact.id, 'c1'),
    },
    bad: { url: '/api/v1/phone-numbers/call-me', field: 'number' },
    notFound: null,
  },
  {
    route: 'PUT /api/v1/opt-outs/:number',
    success: {
      url: `/api/v1/opt-outs/${encodeURIComponent(KE)}`,
      body: { opted_out: true },
      status: 200,
      check: (b) => assert.deepEqual(b, { number: '254712345678', opted_out: true, can_opt_in: true }),
    },
    bad: {
      url: `/api/v1/opt-outs/${encodeURIComponent(KE)}`,
      body: { opted_out: 'yes' },
      field: 'opted_out',
    },
    notFound: null,
  },
  {
    route: 'GET /api/v1/opt-outs/:number',
    success: {
      url: '/api/v1/opt-outs/254712345678',
      status: 200,
      check: (b) => assert.equal(b.opted_out, true),
    },
    bad: { url: '/api/v1/opt-outs/12', field: 'number' },
    notFound: null,
  },
  {
    route: 'GET /api/v1/projects/:project/opt-outs',
    success: {
      url: '/api/v1/projects/p1/opt-outs',
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.deepEqual(
          b.opt_outs.map((o: { number: string }) => o.number),
          ['254712345678'],
        ),
    },
    bad: { url: `/api/v1/projects/${LONG}/opt-outs`, field: 'project' },
    notFound: { url: '/api/v1/projects/nope/opt-outs' },
  },
  {
    route: 'POST /api/v1/projects/:project/commcare/cases',
    success: {
      url: '/api/v1/projects/p1/commcare/cases',
      as: 'p1',
      body: { domain: 'd', case_id: 'cc1', properties: { case_type: 'patient', case_name: 'Z' } },
      status: 200,
    },
    bad: {
      url: '/api/v1/projects/p1/commcare/cases',
      as: 'p1',
      body: { domain: 'd', properties: {} },
      field: 'case_id',
      status: 422,
    },
    notFound: { url: '/api/v1/projects/nope/commcare/cases', body: { case_id: 'x' } },
  },
  {
    route: 'PUT /api/v1/projects/:project/commcare/cases',
    success: {
      url: '/api/v1/projects/p1/commcare/cases',
      as: 'p1',
      body: [{ case_id: 'cc2', properties: { case_type: 'patient' } }],
      status: 200,
    },
    bad: {
      url: '/api/v1/projects/p1/commcare/cases',
      as: 'p1',
      body: { case_id: 'cc2', closed: 'no' },
      field: 'closed',
      status: 422,
    },
    notFound: { url: '/api/v1/projects/nope/commcare/cases', body: { case_id: 'x' } },
  },
  {
    route: 'GET /api/v1/projects/:project/commcare/cases',
    success: { url: '/api/v1/projects/p1/commcare/cases', as: 'p1', status: 200 },
    bad: { url: `/api/v1/projects/${LONG}/commcare/cases`, field: 'project' },
    notFound: { url: '/api/v1/projects/nope/commcare/cases' },
  },
  {
    route: 'PUT /api/v1/projects/:project/surveys/:id',
    success: {
      url: '/api/v1/projects/p1/surveys/s1',
      as: 'p1',
      body: SURVEY,
      status: 201,
      check: (b) => assert.deepEqual(b, { id: 's1', project: 'p1', ...SURVEY }),
    },
    bad: {
      url: '/api/v1/projects/p1/surveys/s1',
      as: 'p1',
      body: { ...SURVEY, expiry_hours: 169 },
      field: 'expiry_hours',
    },
    notFound: { url: '/api/v1/projects/nope/surveys/s1', body: SURVEY },
  },
  {
    route: 'GET /api/v1/projects/:project/surveys/:id',
    success: {
      url: '/api/v1/projects/p1/surveys/s1',
      as: 'p1',
      status: 200,
      check: (b) => assert.deepEqual(b, { id: 's1', project: 'p1', ...SURVEY }),
    },
    bad: { url: `/api/v1/projects/p1/surveys/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/surveys/nope' },
  },
  {
    route: 'GET /api/v1/projects/:project/surveys',
    success: {
      url: '/api/v1/projects/p1/surveys?limit=1',
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.deepEqual([b.surveys.map((s: { id: string }) => s.id), b.next_cursor], [['gone'], 'gone']),
    },
    bad: { url: '/api/v1/projects/p1/surveys?limit=0', as: 'p1', field: 'limit' },
    notFound: { url: '/api/v1/projects/nope/surveys' },
  },
  {
    route: 'PATCH /api/v1/projects/:project/surveys/:id',
    success: {
      url: '/api/v1/projects/p1/surveys/s1',
      as: 'p1',
      body: { expiry_hours: 24 },
      status: 200,
      check: (b) => assert.deepEqual(b, { id: 's1', project: 'p1', ...SURVEY, expiry_hours: 24 }),
    },
    bad: {
      url: '/api/v1/projects/p1/surveys/s1',
      as: 'p1',
      body: { expiry_hours: 0 },
      field: 'expiry_hours',
    },
    notFound: { url: '/api/v1/projects/p1/surveys/nope', body: {} },
  },
  {
    route: 'DELETE /api/v1/projects/:project/surveys/:id',
    success: { url: '/api/v1/projects/p1/surveys/gone', as: 'p1', status: 204 },
    bad: { url: `/api/v1/projects/p1/surveys/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/surveys/nope' },
  },
  {
    route: 'PUT /api/v1/projects/:project/groups/:id',
    success: {
      url: '/api/v1/projects/p1/groups/team',
      as: 'p1',
      body: { kind: 'mobile_worker', name: 'Team', members: ['w1'] },
      status: 201,
      check: (b) => assert.deepEqual(b.members, ['w1']),
    },
    bad: {
      url: '/api/v1/projects/p1/groups/team',
      as: 'p1',
      body: { kind: 'household', members: [] },
      field: 'kind',
    },
    notFound: { url: '/api/v1/projects/nope/groups/team', body: { kind: 'case', members: [] } },
  },
  {
    route: 'GET /api/v1/projects/:project/groups/:id',
    success: {
      url: '/api/v1/projects/p1/groups/team',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.kind, 'mobile_worker'),
    },
    bad: { url: `/api/v1/projects/p1/groups/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/groups/nope' },
  },
  {
    route: 'GET /api/v1/projects/:project/groups',
    success: {
      url: '/api/v1/projects/p1/groups?kind=mobile_worker',
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.deepEqual(b.groups, [
          { id: 'team', project: 'p1', kind: 'mobile_worker', name: 'Team', members: ['w1'] },
        ]),
    },
    bad: { url: '/api/v1/projects/p1/groups?kind=household', as: 'p1', field: 'kind' },
    notFound: { url: '/api/v1/projects/nope/groups' },
  },
  {
    route: 'PATCH /api/v1/projects/:project/groups/:id',
    success: {
      url: '/api/v1/projects/p1/groups/team',
      as: 'p1',
      body: { name: 'Team A' },
      status: 200,
      check: (b) => assert.deepEqual([b.name, b.members], ['Team A', ['w1']]),
    },
    bad: { url: '/api/v1/projects/p1/groups/team', as: 'p1', body: { members: 'w1' }, field: 'members' },
    notFound: { url: '/api/v1/projects/p1/groups/nope', body: {} },
  },
  {
    route: 'DELETE /api/v1/projects/:project/groups/:id',
    success: { url: '/api/v1/projects/p1/groups/team', as: 'p1', status: 204 },
    bad: { url: `/api/v1/projects/p1/groups/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/groups/nope' },
  },
  {
    route: 'PUT /api/v1/projects/:project/keywords/:keyword',
    success: {
      url: '/api/v1/projects/p1/keywords/Visit',
      as: 'p1',
      body: KEYWORD,
      status: 201,
      check: (b) => assert.deepEqual(b, { keyword: 'Visit', project: 'p1', ...KEYWORD }),
    },
    bad: {
      url: '/api/v1/projects/p1/keywords/Visit',
      as: 'p1',
      body: { action: 'survey', survey: 'nope' },
      field: 'survey',
    },
    notFound: { url: '/api/v1/projects/nope/keywords/Visit', body: KEYWORD },
  },
  {
    route: 'GET /api/v1/projects/:project/keywords/:keyword',
    success: {
      url: '/api/v1/projects/p1/keywords/VISIT',
      as: 'p1',
      status: 200,
      check: (b) => assert.deepEqual(b, { keyword: 'Visit', project: 'p1', ...KEYWORD }),
    },
    bad: { url: `/api/v1/projects/p1/keywords/${LONG}`, as: 'p1', field: 'keyword' },
    notFound: { url: '/api/v1/projects/p1/keywords/nope' },
  },
  {
    route: 'GET /api/v1/projects/:project/keywords',
    success: {
      url: '/api/v1/projects/p1/keywords',
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.deepEqual(
          b.keywords.map((k: { keyword: string }) => k.keyword),
          ['Visit'],
        ),
    },
    bad: { url: '/api/v1/projects/p1/keywords?limit=x', as: 'p1', field: 'limit' },
    notFound: { url: '/api/v1/projects/nope/keywords' },
  },
  {
    route: 'PATCH /api/v1/projects/:project/keywords/:keyword',
    success: {
      url: '/api/v1/projects/p1/keywords/visit',
      as: 'p1',
      body: { allow: 'all' },
      status: 200,
      check: (b) => assert.deepEqual(b, { keyword: 'Visit', project: 'p1', ...KEYWORD, allow: 'all' }),
    },
    bad: { url: '/api/v1/projects/p1/keywords/visit', as: 'p1', body: { allow: 'everyone' }, field: 'allow' },
    notFound: { url: '/api/v1/projects/p1/keywords/nope', body: {} },
  },
  {
    route: 'DELETE /api/v1/projects/:project/keywords/:keyword',
    success: { url: '/api/v1/projects/p1/keywords/VISIT', as: 'p1', status: 204 },
    bad: { url: `/api/v1/projects/p1/keywords/${LONG}`, as: 'p1', field: 'keyword' },
    notFound: { url: '/api/v1/projects/p1/keywords/nope' },
  },
  {
    route: 'PUT /api/v1/projects/:project/alerts/:id',
    success: {
      url: '/api/v1/projects/p1/alerts/a1',
      as: 'p1',
      body: ALERT,
      status: 201,
      check: (b) => {
        assert.deepEqual(
          { ...b, processing: undefined },
          {
            id: 'a1',
            project: 'p1',
            ...ALERT,
            active: true,
            version: 1,
            processing: undefined,
            instance_count: 0,
            next_due_at: null,
          },
        );
        assert.equal(b.processing.pending, true);
        assert.equal(b.processing.done, 0);
      },
    },
    bad: {
      url: '/api/v1/projects/p1/alerts/a1',
      as: 'p1',
      body: { ...ALERT, criteria: [{ property: 'village', op: 'regex', value: '(' }] },
      field: 'criteria[0].value',
    },
    notFound: { url: '/api/v1/projects/nope/alerts/a1', body: ALERT },
  },
  {
    route: 'GET /api/v1/projects/:project/alerts/:id',
    success: {
      url: '/api/v1/projects/p1/alerts/a1',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.case_type, 'patient'),
    },
    bad: { url: `/api/v1/projects/p1/alerts/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/alerts/nope' },
  },
  {
    route: 'GET /api/v1/projects/:project/alerts/:id/preview',
    success: {
      url: '/api/v1/projects/p1/alerts/a1/preview',
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.deepEqual(b, { from: '2026-01-05T08:00:00.000Z', to: '2026-01-12T08:00:00.000Z', lines: [] }),
    },
    bad: { url: '/api/v1/projects/p1/alerts/a1/preview?days=367', as: 'p1', field: 'days' },
    notFound: { url: '/api/v1/projects/p1/alerts/nope/preview' },
  },
  {
    route: 'GET /api/v1/projects/:project/alerts',
    success: {
      url: '/api/v1/projects/p1/alerts?active=true&case_type=patient',
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.deepEqual([b.alerts.map((a: { id: string }) => a.id), b.next_cursor], [['a1'], null]),
    },
    bad: { url: '/api/v1/projects/p1/alerts?active=maybe', as: 'p1', field: 'active' },
    notFound: { url: '/api/v1/projects/nope/alerts' },
  },
  {
    route: 'PATCH /api/v1/projects/:project/alerts/:id',
    success: {
      url: '/api/v1/projects/p1/alerts/a1',
      as: 'p1',
      body: { active: false },
      status: 200,
      check: (b) => assert.deepEqual([b.active, b.version, b.next_due_at], [false, 2, null]),
    },
    bad: { url: '/api/v1/projects/p1/alerts/a1', as: 'p1', body: { active: 'no' }, field: 'active' },
    notFound: { url: '/api/v1/projects/p1/alerts/nope', body: { active: true } },
  },
  {
    route: 'DELETE /api/v1/projects/:project/alerts/:id',
    success: { url: '/api/v1/projects/p1/alerts/a1', as: 'p1', status: 204 },
    bad: { url: `/api/v1/projects/p1/alerts/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/alerts/nope' },
  },
  {
    route: 'PUT /api/v1/projects/:project/broadcasts/:id',
    success: {
      url: '/api/v1/projects/p1/broadcasts/b1',
      as: 'p1',
      body: BROADCAST,
      status: 201,
      // 09:00 in Nairobi on 5 January has passed at START (11:00 there): the first event is the 6th.
      check: (b) =>
        assert.deepEqual(b, {
          id: 'b1',
          project: 'p1',
          ...BROADCAST,
          active: true,
          instance_count: 1,
          next_due_at: '2026-01-06T06:00:00.000Z',
        }),
    },
    bad: {
      url: '/api/v1/projects/p1/broadcasts/b1',
      as: 'p1',
      body: { ...BROADCAST, recipients: [] },
      field: 'recipients',
    },
    notFound: { url: '/api/v1/projects/nope/broadcasts/b1', body: BROADCAST },
  },
  {
    route: 'GET /api/v1/projects/:project/broadcasts/:id',
    success: {
      url: '/api/v1/projects/p1/broadcasts/b1',
      as: 'p1',
      status: 200,
      check: (b) => assert.equal(b.instance_count, 1),
    },
    bad: { url: `/api/v1/projects/p1/broadcasts/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/broadcasts/nope' },
  },
  {
    route: 'GET /api/v1/projects/:project/broadcasts/:id/preview',
    success: {
      url: '/api/v1/projects/p1/broadcasts/b1/preview?days=30',
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.deepEqual(
          b.lines,
          ['2026-01-06', '2026-01-07'].map((day) => ({
            at: `${day}T06:00:00.000Z`,
            local: `${day} 09:00`,
            zone: 'Africa/Nairobi',
            recipient: 'case:c1',
            text: 'Your visit is this week.',
            error: null,
          })),
        ),
    },
    bad: { url: '/api/v1/projects/p1/broadcasts/b1/preview?days=0', as: 'p1', field: 'days' },
    notFound: { url: '/api/v1/projects/p1/broadcasts/a1/preview' },
  },
  {
    route: 'GET /api/v1/projects/:project/broadcasts',
    success: {
      url: '/api/v1/projects/p1/broadcasts?active=true',
      as: 'p1',
      status: 200,
      check: (b) =>
        assert.deepEqual(
          b.broadcasts.map((x: { id: string; instance_count: number }) => [x.id, x.instance_count]),
          [['b1', 1]],
        ),
    },
    bad: { url: '/api/v1/projects/p1/broadcasts?sort=id', as: 'p1', field: 'querystring' },
    notFound: { url: '/api/v1/projects/nope/broadcasts' },
  },
  {
    route: 'PATCH /api/v1/projects/:project/broadcasts/:id',
    success: {
      url: '/api/v1/projects/p1/broadcasts/b1',
      as: 'p1',
      body: { active: false },
      status: 200,
      check: (b) => assert.deepEqual([b.active, b.instance_count, b.next_due_at], [false, 1, null]),
    },
    bad: {
      url: '/api/v1/projects/p1/broadcasts/b1',
      as: 'p1',
      body: { recipients: [] },
      field: 'recipients',
    },
    notFound: { url: '/api/v1/projects/p1/broadcasts/nope', body: {} },
  },
  {
    route: 'DELETE /api/v1/projects/:project/broadcasts/:id',
    success: { url: '/api/v1/projects/p1/broadcasts/b1', as: 'p1', status: 204 },
    bad: { url: `/api/v1/projects/p1/broadcasts/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/broadcasts/nope' },
  },
];

/** A concrete URL for a route pattern, inside project p1 (ids that exist there). */
function concrete(url: string): string {
  return url
    .replace(':project', 'p1')
    .replace(':kind', 'case')
    .replace(':keyword', 'VISIT')
    .replace(':number', '254712345678')
    .replace(':prefix', '254')
    .replace(
      /:id/g,
      url.includes('/messages') || url.includes('/events/') ? '1' : url.includes('gateways') ? 'gw-p1' : 'c1',
    );
}

for (const name of DATABASES) {
  describe(`API routes on ${name}`, () => {
    let api: TestApi;
    const keys: Record<string, string> = {};
    const vars: Record<string, string> = {};

    before(async () => {
      api = await openApi(name);
      const ok = async (method: string, url: string, body?: unknown) => {
        const response = await api.call(method, url, { body });
        assert.ok(response.statusCode < 300, `${method} ${url}: ${response.body}`);
        return response.json() as Record<string, unknown>;
      };
      await ok('PUT', '/api/v1/projects/p1', { default_country: 'KE', time_zone: 'Africa/Nairobi' });
      await ok('PUT', '/api/v1/projects/p2', {});
      await ok('PUT', '/api/v1/projects/p1/gateways/gw-p1', {
        type: 'test',
        default: true,
        inbound_secret: 's1',
      });
      await ok('PUT', '/api/v1/gateways/gw-global', { type: 'test', default: true, inbound_secret: 's2' });
      await ok('PUT', '/api/v1/projects/p1/cases/c1', {
        name: 'Amina',
        properties: { contact_phone_number: KE },
      });
      await ok('PUT', '/api/v1/projects/p1/mobile-workers/w1', {
        name: 'Otieno',
        phone_numbers: ['+254711111111'],
      });
      const sent = await ok('POST', '/api/v1/projects/p1/messages', { to: { case: 'c1' }, text: 'first' });
      const [sub] = sent.sub_events as { message_id: number }[];
      vars.message = String(sub?.message_id);
      vars.event = String(sent.event_id);
      await ok('PUT', '/api/v1/projects/p1/surveys/gone', SURVEY);
      // An inbound SMS of p1 (through its gateway), and one of no project (through the global one).
      const inbound = async (gateway: string, secret: string, from: string, text: string) => {
        const response = await api.app.inject({
          method: 'POST',
          url: `/gateways/${gateway}/inbound`,
          headers: { 'x-caseline-secret': secret },
          payload: { from, text },
        });
        assert.equal(response.statusCode, 200, response.body);
        return String((response.json() as { message_id: number }).message_id);
      };
      vars.inbound = await inbound('gw-p1', 's1', KE, 'hello');
      vars.orphan = await inbound('gw-global', 's2', '+254799000001', 'who is this?');
      keys.p1 = await api.projectKey('p1');
      keys.p2 = await api.projectKey('p2');
    });
    after(() => api.close());

    const fill = (url: string) => url.replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? '');
    const keyFor = (call: Call) => (call.as === 'p1' ? keys.p1 : undefined);

    test('the table covers every route', () => {
      const table = new Set(CASES.map((c) => c.route));
      const routes = api.app.apiRoutes.map((r) => `${r.method} ${r.url}`);
      assert.deepEqual(
        routes.filter((r) => !table.has(r)),
        [],
        'routes without a test',
      );
      assert.deepEqual(
        [...table].filter((r) => !routes.includes(r)),
        [],
        'tests without a route',
      );
    });

    test('missing, malformed or wrong key: 401, another project: 404, an admin route with a project key: 403 or 404; nothing changes', async () => {
      const before = await snapshot(api.t.db);
      for (const route of api.app.apiRoutes) {
        const url = concrete(route.url);
        const label = `${route.method} ${url}`;
        const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
        for (const key of [null, 'wrong-key', '']) {
          const response = await api.call(route.method, url, { key, body });
          assert.equal(response.statusCode, 401, `${label} with key ${String(key)}: ${response.body}`);
          assert.equal(errorOf(response).code, 'unauthorized');
        }
        const malformed = await api.app.inject({
          method: route.method as 'GET',
          url,
          headers: { authorization: `Token ${keys.p1}` },
        });
        assert.equal(malformed.statusCode, 401, `${label} with a malformed header`);

        const other = await api.call(route.method, url, { key: keys.p2, body });
        assert.equal(other.statusCode, 404, `${label} with p2's key: ${other.body}`);
        assert.equal(errorOf(other).code, 'not_found');
        if (route.auth === 'admin') {
          const own = await api.call(route.method, url, { key: keys.p1, body });
          const expected = url.startsWith('/api/v1/projects/p1') ? 403 : 404;
          assert.equal(own.statusCode, expected, `${label} (admin only) with p1's key: ${own.body}`);
        }
      }
      assert.deepEqual(await snapshot(api.t.db), before);
    });

    test('a revoked key is refused', async () => {
      const created = await api.call('POST', '/api/v1/projects/p2/keys', { body: {} });
      const { id, key } = created.json() as { id: string; key: string };
      assert.equal((await api.call('GET', '/api/v1/projects/p2', { key })).statusCode, 200);
      assert.equal((await api.call('DELETE', `/api/v1/projects/p2/keys/${id}`)).statusCode, 204);
      assert.equal((await api.call('GET', '/api/v1/projects/p2', { key })).statusCode, 401);
    });

    for (const c of CASES) {
      test(c.route, async () => {
        if (c.success.url.includes('{p3key}')) {
          const list = (await api.call('GET', '/api/v1/projects/p3/keys')).json() as {
            keys: { id: string }[];
          };
          vars.p3key = list.keys[0]?.id ?? '';
        }
        const before = await snapshot(api.t.db);
        const bad = await api.call(c.route.split(' ')[0] ?? 'GET', fill(c.bad.url), {
          key: keyFor(c.bad),
          body: c.bad.body,
        });
        assert.equal(bad.statusCode, c.bad.status ?? 400, `bad: ${bad.body}`);
        const error = errorOf(bad);
        assert.equal(error.code, 'invalid_input');
        assert.equal(error.field, c.bad.field, error.message);
        assert.deepEqual(await snapshot(api.t.db), before, 'a rejected request changed the database');

        if (c.notFound) {
          const missing = await api.call(c.route.split(' ')[0] ?? 'GET', fill(c.notFound.url), {
            key: keyFor(c.notFound),
            body: c.notFound.body,
          });
          assert.equal(missing.statusCode, 404, `not found: ${missing.body}`);
          assert.equal(errorOf(missing).code, 'not_found');
        }

        const method = c.route.split(' ')[0] ?? 'GET';
        const response = await api.call(method, fill(c.success.url), {
          key: keyFor(c.success),
          body: c.success.body,
        });
        assert.equal(response.statusCode, c.success.status, response.body);
        if (c.success.check) c.success.check(response.json());
      });
    }

    test('an alert: processing of the existing cases runs as due work, then GET shows it done with its instances and preview', async () => {
      const as = { key: keys.p1 };
      const kisumu = ['m1', 'm2', 'm3'];
      for (const [i, id] of [...kisumu, 'm4'].entries()) {
        const village = id === 'm4' ? 'Nakuru' : 'Kisumu';
        const put = await api.call('PUT', `/api/v1/projects/p1/cases/${id}`, {
          ...as,
          body: {
            type: 'mother',
            name: `Mama ${id}`,
            properties: { village, contact_phone_number: `+25472000000${i}` },
          },
        });
        assert.equal(put.statusCode, 201, put.body);
      }
      const alert = {
        ...ALERT,
        case_type: 'mother',
        schedule: { type: 'daily', time: '09:00', occurrences: 2 },
      };
      const created = await api.call('PUT', '/api/v1/projects/p1/alerts/mothers', { ...as, body: alert });
      assert.equal(created.statusCode, 201, created.body);
      assert.deepEqual(created.json().processing, { total: 4, done: 0, pending: true });

      // Two cases per batch: the progress shows between batches.
      const deps = { store: api.t.store, clock: api.clock };
      const progress: unknown[] = [];
      for (let round = 0; round < 20 && (await processPendingAlerts(deps, 2)) > 0; round++) {
        progress.push((await api.call('GET', '/api/v1/projects/p1/alerts/mothers', as)).json().processing);
      }
      assert.deepEqual(progress.slice(-3), [
        { total: 4, done: 2, pending: true },
        { total: 4, done: 4, pending: true },
        { total: 4, done: 4, pending: false },
      ]);
      const read = (await api.call('GET', '/api/v1/projects/p1/alerts/mothers', as)).json();
      assert.equal(read.instance_count, 3);
      assert.equal(read.next_due_at, '2026-01-06T06:00:00.000Z');

      const preview = await api.call('GET', '/api/v1/projects/p1/alerts/mothers/preview?days=3', as);
      assert.equal(preview.statusCode, 200, preview.body);
      const expected = ['2026-01-06', '2026-01-07'].flatMap((day) =>
        kisumu.map((id) => ({
          at: `${day}T06:00:00.000Z`,
          local: `${day} 09:00`,
          zone: 'Africa/Nairobi',
          recipient: `case:${id}`,
          text: `Hello Mama ${id}`,
          error: null,
        })),
      );
      assert.deepEqual(preview.json().lines, expected);
      // One day ahead reaches only the first event.
      assert.equal(
        (await api.call('GET', '/api/v1/projects/p1/alerts/mothers/preview?days=1', as)).json().lines.length,
        3,
      );

      // Saving it unchanged changes nothing and starts no processing.
      const again = await api.call('PUT', '/api/v1/projects/p1/alerts/mothers', { ...as, body: alert });
      assert.equal(again.statusCode, 200, again.body);
      assert.deepEqual(again.json(), read);
      assert.equal(await processPendingAlerts(deps, 2), 0);

      // Inactive: every instance stops (they stay, with no next event), nothing to preview.
      const off = await api.call('PUT', '/api/v1/projects/p1/alerts/mothers', {
        ...as,
        body: { ...alert, active: false },
      });
      assert.equal(off.statusCode, 200, off.body);
      assert.deepEqual([off.json().instance_count, off.json().next_due_at], [read.instance_count, null]);
      assert.deepEqual(
        (await api.call('GET', '/api/v1/projects/p1/alerts/mothers/preview', as)).json().lines,
        [],
      );
    });

    test("a broadcast's preview refuses an id that an alert of the project also has", async () => {
      const put = await api.call('PUT', '/api/v1/projects/p1/broadcasts/mothers', {
        key: keys.p1,
        body: BROADCAST,
      });
      assert.equal(put.statusCode, 201, put.body);
      const preview = await api.call('GET', '/api/v1/projects/p1/broadcasts/mothers/preview', {
        key: keys.p1,
      });
      assert.equal(preview.statusCode, 409, preview.body);
      assert.equal(errorOf(preview).code, 'conflict');
    });
  });
}
