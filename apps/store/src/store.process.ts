import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The store program (`main`) as a child process, for the crash test, the
 * torture program and the benchmark: each needs the store in a process of its
 * own, so it can be SIGKILLed, or so client and server do not share one event loop.
 */

export interface StoreProcessOptions {
  /** Data directory (durable store); omitted with `memory`. */
  readonly dataDir?: string;
  readonly memory?: boolean;
  readonly host?: string;
  /** 0 (the default here) lets the store pick a free port. */
  readonly port?: number;
  /** False: the store does not offer BatchAppend, so the client appends with Append. */
  readonly batchAppend?: boolean;
  /** Extra options for the child's `node` (e.g. `--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
  readonly readyTimeoutMs?: number;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface LaunchedStore {
  readonly child: ChildProcess;
  /** The connection string the store printed once ready. */
  readonly ready: Promise<string>;
  readonly exited: Promise<ExitInfo>;
  /** The last lines the child wrote on stdout and stderr, for failure reports. */
  output(): string;
  /** SIGKILL, then wait until the process is gone. */
  kill(): Promise<ExitInfo>;
  /** SIGTERM (a clean stop), then wait; SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<ExitInfo>;
}

export interface RunningStore extends LaunchedStore {
  readonly connectionString: string;
}

const CONNECTION_STRING = /(esdb(?:\+discover)?:\/\/\S+)/;
const OUTPUT_LIMIT = 16_384;

/**
 * How to run the store program. Compiled (`dist/`, as the torture program and the
 * benchmark run): `node main.js` beside this file. From TypeScript sources (jest):
 * `node -r @swc-node/register main.ts`, which compiles each module on load with the
 * repo's tsconfig (path aliases, decorators), so no build step is needed first.
 */
export function storeCommand(): { args: string[]; env: NodeJS.ProcessEnv; cwd: string } {
  const compiled = path.join(__dirname, 'main.js');
  if (__filename.endsWith('.js') && existsSync(compiled)) {
    return { args: [compiled], env: process.env, cwd: process.cwd() };
  }
  const repoRoot = path.resolve(__dirname, '..', '..', '..');
  return {
    args: ['-r', require.resolve('@swc-node/register'), path.join(__dirname, 'main.ts')],
    env: { ...process.env, SWC_NODE_PROJECT: path.join(repoRoot, 'tsconfig.json') },
    cwd: repoRoot,
  };
}

function storeArgs(options: StoreProcessOptions): string[] {
  const args: string[] = [];
  if (options.memory) args.push('--mem');
  else if (options.dataDir !== undefined) args.push('--db', options.dataDir);
  if (options.host !== undefined) args.push('--host', options.host);
  args.push('--port', String(options.port ?? 0));
  if (options.batchAppend === false) args.push('--no-batch-append');
  return args;
}

/** Starts the store without waiting for it to be ready (to kill it during start-up). */
export function launchStore(options: StoreProcessOptions): LaunchedStore {
  const command = storeCommand();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...command.args, ...storeArgs(options)], {
    cwd: command.cwd,
    env: command.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stderr?.on('data', keep);

  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const ready = new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      reject(new Error(`store not ready after ${options.readyTimeoutMs ?? 30_000} ms\n${output}`));
    }, options.readyTimeoutMs ?? 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      keep(chunk);
      stdout += chunk.toString('utf8');
      const match = CONNECTION_STRING.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`store exited before it was ready (code ${code}, signal ${signal})\n${output}`));
    });
  });
  // A caller that kills the store during start-up never awaits `ready`.
  ready.catch(() => undefined);

  const isRunning = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    child,
    ready,
    exited,
    output: () => output,
    kill: async () => {
      if (isRunning()) child.kill('SIGKILL');
      return exited;
    },
    stop: async (graceMs = 10_000) => {
      if (!isRunning()) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const info = await exited;
      clearTimeout(timer);
      return info;
    },
  };
}

/** Starts the store and resolves once it has printed its connection string. */
export async function startStoreProcess(options: StoreProcessOptions): Promise<RunningStore> {
  const launched = launchStore(options);
  try {
    const connectionString = await launched.ready;
    return { ...launched, connectionString };
  } catch (error) {
    await launched.kill();
    throw error;
  }
}
