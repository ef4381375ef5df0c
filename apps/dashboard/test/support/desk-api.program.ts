import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

export interface DeskApi {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * `npm start`'s program, as built by `npm run build` (the api from dist, the page from
 * dist/apps/dashboard), on its own data directory and tokens. Resolves once it listens.
 */
export function startDeskApi(options: { dataDir: string; tokens: string; port?: number }): Promise<DeskApi> {
  const main = path.join(repoRoot, 'dist', 'apps', 'api', 'src', 'main.js');
  const page = path.join(repoRoot, 'dist', 'apps', 'dashboard', 'index.html');
  if (!existsSync(main) || !existsSync(page)) {
    return Promise.reject(new Error('The api or the dashboard is not built: run `npm run build` before the browser tests.'));
  }
  const child = spawn(process.execPath, ['--max-semi-space-size=32', main], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      NO_COLOR: '1',
      PORT: String(options.port ?? 0),
      EMBEDDED_STORE_PORT: '0',
      EMBEDDED_STORE_DATA_DIR: options.dataDir,
      NEWSROOM_TOKENS: options.tokens,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const early = (code: number | null, signal: NodeJS.Signals | null): void =>
      reject(new Error(`the api exited (${code ?? signal}) before it listened:\n${output}`));
    const seen = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const listening = /listening on (http:\/\/[\d.]+):(\d+)/.exec(output);
      if (listening === null) return;
      child.stdout!.off('data', seen).resume();
      child.stderr!.off('data', seen).resume();
      child.off('exit', early);
      resolve({ url: `${listening[1]!}:${listening[2]!}`, port: Number(listening[2]), stop: () => stopped(child) });
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', early);
  });
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
