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

/**
 * Asks a worker to stop (it finishes its work and lets its event loop end) and resolves
 * once it has exited; after `graceMs` it is terminated instead.
 */
export function stopWorker(worker: Worker, stopMessage: unknown, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => void worker.terminate(), graceMs);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.postMessage(stopMessage);
  });
}
