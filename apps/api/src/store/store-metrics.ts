import { Counter, Histogram, Registry } from 'prom-client';
import type { StoreObserver } from '@newsroom/esdb-server';

/** The embedded store's metrics and the observer that fills them, kept on the store's own thread. */
export interface StoreMetrics {
  readonly registry: Registry;
  readonly observer: StoreObserver;
}

/**
 * A registry of the store's thread: the engine calls the observer there, between commits,
 * so recording is a local increment; the api's thread asks for the text only on a scrape.
 */
export function createStoreMetrics(): StoreMetrics {
  const registry = new Registry();
  const batchSize = new Histogram({
    name: 'esdb_commit_batch_size',
    help: 'Writes (appends, deletes) per group commit of the embedded store',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000],
    registers: [registry],
  });
  const fsync = new Histogram({
    name: 'esdb_fsync_duration_seconds',
    help: "Duration of the embedded store's fdatasync of its log",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const appends = new Counter({ name: 'esdb_appends_total', help: 'Appends committed by the embedded store', registers: [registry] });
  return {
    registry,
    observer: {
      committed(writes, appended) {
        batchSize.observe(writes);
        if (appended > 0) appends.inc(appended);
      },
      synced(seconds) {
        fsync.observe(seconds);
      },
    },
  };
}
