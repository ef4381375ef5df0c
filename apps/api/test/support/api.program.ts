// The api as its own program (`npm start`'s main, from its TypeScript source as the other
// program tests run theirs): nothing of it is shared with the test's process.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { TOKENS_ENV } from './api.harness';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

export interface ApiProgram {
  readonly child: ChildProcess;
  readonly url: string;
}

/**
 * Starts the api's main with `env` over the test defaults (a free port, the test tokens, no rate limits);
 * resolves once it listens. The embedded store's settings, or EVENTSTORE_CONNECTION_STRING,
 * come in `env`.
 */
export function startApiProgram(env: Readonly<Record<string, string>>): Promise<ApiProgram> {
  const child = spawn(process.execPath, ['-r', require.resolve('@swc-node/register'), path.join(repoRoot, 'apps', 'api', 'src', 'main.ts')], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      SWC_NODE_PROJECT: path.join(repoRoot, 'tsconfig.json'),
      NO_COLOR: '1',
      PORT: '0',
      NEWSROOM_TOKENS: TOKENS_ENV,
      // Real tokens bring the deployed rate limits; the tests that load a program are not about them.
      NEWSROOM_RATE_LIMIT_WRITES: 'off',
      NEWSROOM_RATE_LIMIT_READS: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const listening = /listening on (http:\/\/[\d.:]+)/.exec(output);
      if (listening !== null) resolve({ child, url: listening[1]! });
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code, signal) => reject(new Error(`the api exited (${code ?? signal}) before it listened:\n${output}`)));
  });
}

/** Ends the program with `signal` and resolves once it has exited. */
export function killed(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

export interface ProgramExit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one of our programs from its TypeScript source (`apps/store/src/main.ts`, relative to
 * the repo) with only `env` (and PATH) until it exits: for a start-up that must stop at once.
 */
export function runProgramToExit(entry: string, args: readonly string[], env: Readonly<Record<string, string>>): Promise<ProgramExit> {
  const child = spawn(process.execPath, ['-r', require.resolve('@swc-node/register'), path.join(repoRoot, entry), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', SWC_NODE_PROJECT: path.join(repoRoot, 'tsconfig.json'), NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
