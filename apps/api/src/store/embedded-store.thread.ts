import type { Worker } from 'node:worker_threads';
import type { EmbeddedStoreOptions } from '@newsroom/esdb-server';
import { workerScript } from '../threads/worker-script';

export interface EmbeddedStoreThread {
  readonly connectionString: string;
  /** The store's metrics in Prometheus text ('' when its thread does not answer in time). */
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

/** How long a scrape waits for the store's thread before leaving its metrics out. */
const METRICS_DEADLINE_MS = 2_000;

type WorkerMessage =
  | { readonly type: 'ready'; readonly connectionString: string }
  | { readonly type: 'stopped' }
  | { readonly type: 'metrics'; readonly id: number; readonly text: string }
  | { readonly type: 'failed'; readonly message: string };

/**
 * Starts the embedded store in the api's process, on a thread of its own. Its durable
 * commits (SQLite, synchronous=FULL) block the thread that makes them until the disk
 * has the data; on the api's thread they would stall every request meanwhile.
 */
export function startEmbeddedStoreThread(options: EmbeddedStoreOptions): Promise<EmbeddedStoreThread> {
  const worker = createWorker(options);
  return new Promise((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`the embedded store thread exited (${code}) before it was ready`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (message: WorkerMessage) => {
      worker.off('exit', onExit);
      worker.off('error', reject);
      if (message.type !== 'ready') {
        void worker.terminate();
        reject(new Error(`the embedded store did not start: ${message.type === 'failed' ? message.message : message.type}`));
        return;
      }
      let stopping: Promise<void> | undefined;
      // A store that dies later leaves the api up: /health and every write then answer 503.
      worker.on('error', (error) => {
        process.emitWarning(`the embedded store thread failed: ${error.message}`);
      });
      worker.once('exit', (code) => {
        if (stopping === undefined) process.emitWarning(`the embedded store thread exited (${code})`);
      });
      resolve({
        connectionString: message.connectionString,
        metrics: metricsOf(worker),
        stop: () => (stopping ??= stopWorker(worker)),
      });
    });
  });
}

/** Asks the store's thread for its registry's text; several scrapes may be under way at once. */
function metricsOf(worker: Worker): () => Promise<string> {
  let nextId = 1;
  const waiting = new Map<number, (text: string) => void>();
  worker.on('message', (message: WorkerMessage) => {
    if (message.type !== 'metrics') return;
    waiting.get(message.id)?.(message.text);
  });
  return () =>
    new Promise<string>((resolve) => {
      const id = nextId++;
      const timer = setTimeout(() => answer(''), METRICS_DEADLINE_MS).unref();
      function answer(text: string): void {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(text);
      }
      waiting.set(id, answer);
      try {
        worker.postMessage({ type: 'metrics', id });
      } catch {
        answer('');
      }
    });
}

function stopWorker(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'failed') reject(new Error(`the embedded store did not stop cleanly: ${message.message}`));
    });
    worker.once('exit', () => resolve());
    worker.postMessage({ type: 'stop' });
  });
}

function createWorker(options: EmbeddedStoreOptions): Worker {
  return workerScript(__dirname, 'embedded-store.worker', { workerData: options });
}
