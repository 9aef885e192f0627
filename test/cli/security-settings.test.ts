// The security settings as config.ts reads them (issue #14): defaults safe, values checked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readConfig } from '../../src/config.ts';
import { PlainError } from '../../src/plain-error.ts';

const base = { CASELINE_DATA_DIR: '/srv/caseline' };

test('by default the guard is on, no proxy is trusted, /metrics has no token and no tenant labels', () => {
  const config = readConfig(base);
  assert.equal(config.allowPrivateGateways, false);
  assert.equal(config.trustProxy, false);
  assert.deepEqual(config.metrics, { token: null, tenantLabels: false });
});

test('each setting read as documented', () => {
  const config = readConfig({
    ...base,
    CASELINE_ALLOW_PRIVATE_GATEWAYS: 'true',
    CASELINE_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1',
    CASELINE_METRICS_TOKEN: 'scrape-me-please-0123',
    CASELINE_METRICS_TENANT_LABELS: 'true',
  });
  assert.equal(config.allowPrivateGateways, true);
  assert.equal(config.trustProxy, '10.0.0.0/8, 127.0.0.1');
  assert.deepEqual(config.metrics, { token: 'scrape-me-please-0123', tenantLabels: true });
  assert.equal(readConfig({ ...base, CASELINE_TRUST_PROXY: 'true' }).trustProxy, true);
  assert.equal(readConfig({ ...base, CASELINE_TRUST_PROXY: '2' }).trustProxy, 2);
});

test('a value that means nothing stops the start with the variable named', () => {
  for (const [name, value] of [
    ['CASELINE_ALLOW_PRIVATE_GATEWAYS', 'yes please'],
    ['CASELINE_METRICS_TENANT_LABELS', 'maybe'],
    ['CASELINE_TRUST_PROXY', 'my proxy'],
  ] as const) {
    assert.throws(
      () => readConfig({ ...base, [name]: value }),
      (error: unknown) => error instanceof PlainError && error.message.startsWith(name),
      name,
    );
  }
});
