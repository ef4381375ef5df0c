import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running `<name>.js` from the directory `dir` (the caller's __dirname).
 * Built (`dist/`): the compiled file. From TypeScript sources (jest): the .ts file,
 * compiled on load by swc-node with the repo's tsconfig (path aliases).
 */
export function workerScript(dir: string, name: string, options: WorkerOptions = {}): Worker {
  const compiled = path.join(dir, `${name}.js`);
  if (existsSync(compiled)) return new Worker(compiled, options);
  const source = path.join(dir, `${name}.ts`);
  const tsconfig = path.resolve(__dirname, '..', '..', '..', '..', 'tsconfig.json');
  return new Worker(`require(${JSON.stringify(require.resolve('@swc-node/register'))}); require(${JSON.stringify(source)});`, {
    ...options,
    eval: true,
    env: { ...process.env, SWC_NODE_PROJECT: tsconfig },
  });
}

/** A worker the api's thread hands work to, started again after it dies. */
export interface RestartingWorker<Request> {
  /** Starts the worker if none is running. */
  start(): void;
  /** Posts to the worker, starting one first if none is running. */
  post(request: Request): void;
  /** Posts to a running worker only: news about work a dead one held means nothing to the next. */
  postIfRunning(request: Request): void;
  /**
   * Asks the worker to stop (it finishes its work and lets its event loop end) and resolves
   * once it has exited; after `graceMs` it is terminated instead.
   */
  stop(request: Request, graceMs: number): Promise<void>;
}

/**
 * Runs `<name>` (see workerScript) as a RestartingWorker. Its replies go to `reply`; when
 * it fails or ends, `lost` is told why, so the caller can fail what the worker held.
 */
export function restartingWorker<Request, Reply>(
  dir: string,
  name: string,
  options: WorkerOptions & { readonly label: string; reply(reply: Reply): void; lost(message: string): void },
): RestartingWorker<Request> {
  const { label, reply, lost, ...workerOptions } = options;
  let worker: Worker | undefined;
  const running = (): Worker => {
    if (worker !== undefined) return worker;
    const started = workerScript(dir, name, workerOptions);
    started.on('message', reply);
    started.on('error', (error) => lost(`${label} failed: ${error.message}`));
    started.on('exit', (code) => {
      if (worker === started) worker = undefined;
      lost(`${label} ended (${code})`);
    });
    worker = started;
    return started;
  };
  return {
    start: () => void running(),
    post: (request) => running().postMessage(request),
    postIfRunning: (request) => worker?.postMessage(request),
    stop(request, graceMs) {
      const stopping = worker;
      if (stopping === undefined) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => void stopping.terminate(), graceMs);
        stopping.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        stopping.postMessage(request);
      });
    },
  };
}
