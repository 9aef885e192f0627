// Prometheus metrics at /metrics: messages by status and gateway and the queue depth (read
// from the database at scrape time, so every worker process agrees), and send latency. Names
// follow Prometheus's conventions (`promtool check metrics` is clean, test/http/metrics.test.ts):
// counters end in _total, gauges do not, units are in the name, and the process metrics keep
// their standard names (process_cpu_seconds_total, nodejs_heap_size_used_bytes, ...).
// Gateway ids tell tenants apart, so series carry them only when the operator asks
// (CASELINE_METRICS_TENANT_LABELS=true); /metrics itself may need a token (src/http/server.ts).
import client from 'prom-client';
import type { Clock } from './app/ports/clock.ts';
import type { Store } from './app/ports/store.ts';
import type { SendMetrics } from './queue/dispatcher.ts';

export interface Metrics extends SendMetrics {
  registry: client.Registry;
}

const GAUGES_NAMED_LIKE_COUNTERS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

export function createMetrics(store: Store, clock: Clock, options: { tenantLabels?: boolean } = {}): Metrics {
  const tenants = options.tenantLabels === true;
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  // prom-client's gauges named *_total (the sums of nodejs_active_handles{type} and its
  // siblings, which remain): a gauge must not look like a counter.
  for (const name of GAUGES_NAMED_LIKE_COUNTERS) registry.removeSingleMetric(name);
  new client.Gauge({
    name: 'caseline_messages',
    help: tenants ? 'Messages by direction, status and gateway' : 'Messages by direction and status',
    labelNames: tenants ? ['direction', 'status', 'gateway'] : ['direction', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await store.messages.countByStatus()) {
        const labels = { direction: row.direction, status: row.status };
        if (tenants) this.set({ ...labels, gateway: row.gatewayId ?? '' }, row.count);
        else this.inc(labels, row.count);
      }
    },
  });
  new client.Gauge({
    name: 'caseline_queue_depth',
    help: 'Outbound messages not yet final, by what they wait for: due (their time has come, ready to send), scheduled (a later time), retry, or a limit or sending window',
    labelNames: ['reason'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await store.messages.queueDepth(clock.now()))
        this.set({ reason: row.reason }, row.count);
    },
  });
  const latency = new client.Histogram({
    name: 'caseline_send_duration_seconds',
    help: 'Time a gateway or the mailer took to answer one send attempt',
    labelNames: tenants ? ['gateway', 'outcome'] : ['outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    observeSend: (gateway, outcome, seconds) =>
      latency.observe(tenants ? { gateway, outcome } : { outcome }, seconds),
  };
}
