import { parentPort, workerData } from 'node:worker_threads';
import { type EmbeddedStoreOptions, startEmbeddedStore, type StoreObserver } from '@newsroom/esdb-server';
import type { StoreMetrics } from './store-metrics';

/**
 * The embedded store's thread (see embedded-store.thread.ts): starts the store with the
 * options it was given, says where it listens, answers metrics requests with the
 * Prometheus text of its registry, and stops it when asked.
 */
async function run(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('embedded-store.worker runs as a worker thread');
  let metrics: StoreMetrics | undefined;
  // The metrics library loads once the store is ready (loading it took longer than opening the
  // store): the api starts no later for it, and the commits of the opening go uncounted.
  const observer: StoreObserver = {
    committed: (writes, appends) => metrics?.observer.committed?.(writes, appends),
    synced: (seconds) => metrics?.observer.synced?.(seconds),
  };
  let store: Awaited<ReturnType<typeof startEmbeddedStore>>;
  try {
    store = await startEmbeddedStore({ ...(workerData as EmbeddedStoreOptions), observer });
  } catch (error) {
    port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  port.on('message', (message: { type: string; id?: number }) => {
    if (message.type === 'metrics') {
      (metrics ??= loadStoreMetrics()).registry.metrics().then(
        (text) => port.postMessage({ type: 'metrics', id: message.id, text }),
        () => port.postMessage({ type: 'metrics', id: message.id, text: '' }),
      );
      return;
    }
    if (message.type !== 'stop') return;
    store.stop().then(
      () => {
        port.postMessage({ type: 'stopped' });
        port.close();
      },
      (error: unknown) => port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
  });
  port.postMessage({ type: 'ready', connectionString: store.connectionString, host: store.host, port: store.port });
  metrics ??= loadStoreMetrics();
}

function loadStoreMetrics(): StoreMetrics {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./store-metrics') as typeof import('./store-metrics')).createStoreMetrics();
}

void run();
