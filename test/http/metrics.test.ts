// /metrics in Prometheus's conventions, checked by Prometheus's own `promtool check metrics`
// (Debian's `prometheus` package; .ci/run installs it): counters end in _total, gauges do not,
// the process metrics keep their standard names. And the queue depth counts as due only what
// is due now (issue #16: messages due tomorrow were counted as due).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { DATABASES } from '../support/databases.ts';
import { openApi, type TestApi } from './support.ts';

/** `name{labels} value` lines of the exposition, without comments. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

/** Metric name → its TYPE. */
function types(text: string): Map<string, string> {
  return new Map(
    [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((match) => [match[1] ?? '', match[2] ?? '']),
  );
}

for (const name of DATABASES) {
  describe(`/metrics on ${name}`, () => {
    let api: TestApi;
    let body = '';
    before(async () => {
      api = await openApi(name, {}, { metrics: true });
      await api.ok('PUT', '/api/v1/projects/clinic', { time_zone: 'Africa/Nairobi', default_country: 'KE' });
      await api.ok('PUT', '/api/v1/projects/clinic/gateways/sms', { type: 'test', default: true });
      await api.ok('PUT', '/api/v1/projects/clinic/cases/amina', {
        type: 'patient',
        properties: { contact_phone_number: '+254712345678' },
      });
      const send = (extra: object) =>
        api.ok('POST', '/api/v1/projects/clinic/messages', {
          to: { case: 'amina' },
          text: 'Hello',
          ...extra,
        });
      await send({});
      await send({});
      await send({ at: new Date(api.clock.now() + 24 * 3600_000).toISOString() });
      const response = await api.call('GET', '/metrics', { key: null });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      body = response.body;
    });
    after(() => api.close());

    test('promtool check metrics finds nothing to say', () => {
      const result = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
      assert.equal(result.error, undefined, 'promtool runs (apt-get install prometheus)');
      assert.equal(`${result.stdout}${result.stderr}`, '', 'no complaint');
      assert.equal(result.status, 0);
    });

    test('counters end in _total, nothing else does', () => {
      for (const [metric, type] of types(body)) {
        if (type === 'counter') assert.match(metric, /_total$/, metric);
        else assert.doesNotMatch(metric, /_total$/, `${type} ${metric}`);
      }
    });

    test('the process metrics have their standard names', () => {
      const names = types(body);
      for (const metric of [
        'process_cpu_seconds_total',
        'process_resident_memory_bytes',
        'process_start_time_seconds',
        'nodejs_heap_size_used_bytes',
        'nodejs_eventloop_lag_seconds',
      ])
        assert.ok(names.has(metric), `${metric} is there`);
      assert.ok(
        ![...names.keys()].some(
          (metric) => metric.startsWith('caseline_process') || metric.startsWith('caseline_nodejs'),
        ),
        'not renamed',
      );
    });

    test('the queue depth counts as due only the messages due now', () => {
      const values = samples(body);
      assert.equal(values.get('caseline_queue_depth{reason="due"}'), 2);
      assert.equal(values.get('caseline_queue_depth{reason="scheduled"}'), 1);
      assert.equal(values.get('caseline_messages{direction="out",status="queued"}'), 3);
    });

    test('no series names a gateway (tenants stay apart) unless the operator asks', () => {
      assert.doesNotMatch(body, /gateway="/);
      assert.doesNotMatch(body, /clinic|"sms"/);
    });
  });

  describe(`/metrics settings on ${name}`, () => {
    test('CASELINE_METRICS_TENANT_LABELS: series by gateway', async () => {
      const api = await openApi(name, {}, { metrics: { tenantLabels: true } });
      try {
        await api.ok('PUT', '/api/v1/projects/clinic', { default_country: 'KE' });
        await api.ok('PUT', '/api/v1/projects/clinic/gateways/sms', { type: 'test', default: true });
        await api.ok('POST', '/api/v1/projects/clinic/messages', {
          to: { phone: '+254712345678' },
          text: 'Hi',
        });
        const values = samples((await api.call('GET', '/metrics', { key: null })).body);
        assert.equal(values.get('caseline_messages{direction="out",status="queued",gateway="sms"}'), 1);
      } finally {
        await api.close();
      }
    });

    test('CASELINE_METRICS_TOKEN: without it or with another one, 401; with it, the metrics', async () => {
      const token = 'scrape-token-0123456789';
      const api = await openApi(
        name,
        {},
        { metrics: true, config: { metrics: { token, tenantLabels: false } } },
      );
      try {
        for (const key of [null, 'wrong-token', `${token}x`]) {
          const refused = await api.call('GET', '/metrics', { key });
          assert.equal(refused.statusCode, 401, String(key));
          assert.doesNotMatch(refused.body, /caseline_/);
        }
        const allowed = await api.call('GET', '/metrics', { key: token });
        assert.equal(allowed.statusCode, 200);
        assert.match(allowed.body, /caseline_queue_depth/);
      } finally {
        await api.close();
      }
    });
  });
}
