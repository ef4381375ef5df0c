import { parentPort, workerData } from 'node:worker_threads';
import { type EmbeddedStoreOptions, startEmbeddedStore } from '@newsroom/esdb-server';

/**
 * The embedded store's thread (see embedded-store.thread.ts): starts the store with the
 * options it was given, says where it listens, and stops it when asked.
 */
async function run(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('embedded-store.worker runs as a worker thread');
  let store: Awaited<ReturnType<typeof startEmbeddedStore>>;
  try {
    store = await startEmbeddedStore(workerData as EmbeddedStoreOptions);
  } catch (error) {
    port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  port.on('message', (message: { type: string }) => {
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
}

void run();
