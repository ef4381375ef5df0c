import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The api's Prometheus metrics, in a registry of its own per app (a test process starts
 * several apis; prom-client's global registry would mix them). Alerts and dashboards rely
 * on these names: renaming one is a breaking change.
 */
export class ApiMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'newsroom_http_request_duration_seconds',
    help: 'HTTP requests by route pattern, method and status, from arrival to the answer sent',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly eventsRecorded = new Counter({
    name: 'newsroom_events_recorded_total',
    help: 'Events the intake recorded, by event type (an idempotent replay records none)',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly appendDuration = new Histogram({
    name: 'newsroom_append_duration_seconds',
    help: "Appends from the intake's request to the append thread until its outcome is back on the api's thread, by outcome",
    labelNames: ['outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly idempotentReplays = new Counter({
    name: 'newsroom_idempotent_replays_total',
    help: 'Posts answered as a replay of an earlier post with the same Idempotency-Key (nothing written)',
    registers: [this.registry],
  });

  readonly projectionPosition = new Gauge({
    name: 'newsroom_projection_position',
    help: "Commit position in $all of the last story event the api's views applied (-1 before any)",
    registers: [this.registry],
  });

  readonly projectionLag = new Gauge({
    name: 'newsroom_projection_lag_events',
    help: "Story events in the store that the api's views have not applied yet (counted up to 10000; NaN when the store does not answer)",
    registers: [this.registry],
  });

  readonly sseClients = new Gauge({
    name: 'newsroom_sse_clients',
    help: 'Clients connected to the live feed (GET /stream)',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
