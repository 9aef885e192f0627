// Prometheus metrics at /metrics: messages by status and gateway and the queue depth (read
// from the database at scrape time, so every worker process agrees), and send latency.
import client from 'prom-client';
import type { Clock } from './app/ports/clock.ts';
import type { Store } from './app/ports/store.ts';
import type { SendMetrics } from './queue/dispatcher.ts';

export interface Metrics extends SendMetrics {
  registry: client.Registry;
}

export function createMetrics(store: Store, clock: Clock): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'caseline_' });
  new client.Gauge({
    name: 'caseline_messages',
    help: 'Messages by direction, status and gateway',
    labelNames: ['direction', 'status', 'gateway'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await store.messages.countByStatus()) {
        this.set({ direction: row.direction, status: row.status, gateway: row.gatewayId ?? '' }, row.count);
      }
    },
  });
  new client.Gauge({
    name: 'caseline_queue_depth',
    help: 'Outbound messages not yet final, by what they wait for (due: ready to send)',
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
    labelNames: ['gateway', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    observeSend: (gateway, outcome, seconds) => latency.observe({ gateway, outcome }, seconds),
  };
}
