import { type DynamicModule, Module } from '@nestjs/common';
import { ApiMetrics } from './api-metrics';
import { HealthProbesController } from './health-probes.controller';
import { MetricsController } from './metrics.controller';
import { MetricsService, STORE_METRICS, type StoreMetricsSource } from './metrics.service';

export interface ObservabilityOptions {
  /** Built with the app: the request hook and the appender record into it too. */
  readonly metrics: ApiMetrics;
  /** The embedded store's metrics, when the app started one. */
  readonly storeMetrics?: StoreMetricsSource;
}

/** GET /metrics and the orchestrator's probes (/health/live, /health/ready). */
@Module({})
export class ObservabilityModule {
  static register(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [MetricsController, HealthProbesController],
      providers: [{ provide: ApiMetrics, useValue: options.metrics }, { provide: STORE_METRICS, useValue: options.storeMetrics }, MetricsService],
    };
  }
}
