import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EventStoreAdapter } from '@newsroom/event-store';
import { LiveFeedService } from '../live/live-feed.service';
import { ViewsService } from '../views/views.service';
import { ApiMetrics } from './api-metrics';

/** The embedded store's metrics text, fetched from its thread; absent with an external EventStoreDB. */
export const STORE_METRICS = Symbol('STORE_METRICS');
export type StoreMetricsSource = (() => Promise<string>) | undefined;

/** The lag is counted up to this many events: a scrape never reads a long backlog. */
const LAG_COUNT_LIMIT = 10_000;
const LAG_DEADLINE_MS = 2_000;

/**
 * A scrape: the gauges that are states (the views' position and lag, the live clients) are
 * read now, then the api's registry and the embedded store's are written out together. The
 * lag costs one read of the end of `$all` while the views are caught up.
 */
@Injectable()
export class MetricsService {
  constructor(
    @Inject(ApiMetrics) private readonly metrics: ApiMetrics,
    @Inject(STORE_METRICS) private readonly storeMetrics: StoreMetricsSource,
    @Inject(EventStoreAdapter) private readonly store: EventStoreAdapter,
    private readonly views: ViewsService,
    private readonly moduleRef: ModuleRef,
  ) {}

  async render(): Promise<string> {
    const status = this.views.status();
    this.metrics.projectionPosition.set(Number(status.position));
    this.metrics.sseClients.set(this.liveClients());
    const [lag, storeText] = await Promise.all([
      this.store.countStoryEventsAfter(BigInt(status.reached), LAG_COUNT_LIMIT, LAG_DEADLINE_MS).catch(() => Number.NaN),
      this.storeMetrics?.() ?? Promise.resolve(''),
    ]);
    this.metrics.projectionLag.set(lag);
    return (await this.metrics.registry.metrics()) + storeText;
  }

  private liveClients(): number {
    // Looked up rather than injected: the live feed's module keeps its service to itself.
    return this.moduleRef.get(LiveFeedService, { strict: false }).connected;
  }
}
