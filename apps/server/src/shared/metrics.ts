import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one Lojal process, served as text at /metrics. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lojal_' });
  return {
    registry,
    httpRequests: new Histogram({
      name: 'lojal_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    deliveriesAccepted: new Counter({
      name: 'lojal_inbound_deliveries_total',
      help: 'Inbound events and webhook deliveries by source and result',
      labelNames: ['source', 'result'] as const,
      registers: [registry],
    }),
    eventsProcessed: new Counter({
      name: 'lojal_inbound_events_processed_total',
      help: 'Inbound events processed by outcome',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    processingLag: new Histogram({
      name: 'lojal_inbound_event_lag_seconds',
      help: 'Time from receipt of an inbound event to the end of its processing',
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600],
      registers: [registry],
    }),
    periodicTaskRuns: new Counter({
      name: 'lojal_periodic_task_runs_total',
      help: 'Runs of periodic tasks (sweeps for all shops, daily tasks per shop) by outcome',
      labelNames: ['task', 'outcome'] as const,
      registers: [registry],
    }),
    periodicTaskShopFailures: new Counter({
      name: 'lojal_periodic_task_shop_failures_total',
      help: 'Failures of a periodic task for one shop (the queue retries daily tasks)',
      labelNames: ['task', 'shop'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
