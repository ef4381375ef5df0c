// `npm run store` reads EMBEDDED_STORE_* as the defaults of its flags, by the same rules as
// the api: a bad value stops it with one line naming it; a good one is where it runs.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runProgramToExit } from '../../api/test/support/api.program';
import { closedPort } from '../../api/test/support/api.harness';
import { storeCommand } from '../src/store.process';

jest.setTimeout(60_000);

const MAIN = 'apps/store/src/main.ts';

it('given EMBEDDED_STORE_PORT=not-a-port, when the store starts, then it exits 2 with one line naming the variable', async () => {
  const run = await runProgramToExit(MAIN, ['--mem'], { EMBEDDED_STORE_PORT: 'not-a-port' });

  expect(run).toEqual({ code: 2, stdout: '', stderr: 'store: EMBEDDED_STORE_PORT must be a port number (0 to 65535), got "not-a-port"\n' });
});

it('given --port abc, when the store starts, then the flag is refused by the same rule, named as the flag', async () => {
  const run = await runProgramToExit(MAIN, ['--mem', '--port', 'abc'], {});

  expect(run).toEqual({ code: 2, stdout: '', stderr: 'store: --port must be a port number (0 to 65535), got "abc"\n' });
});

it('given EMBEDDED_STORE_DATA_DIR and EMBEDDED_STORE_PORT and no flags, when the store starts, then it keeps its files there and listens on that port', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'store-config-'));
  const port = await closedPort();
  const command = storeCommand();
  const child = spawn(process.execPath, command.args, {
    cwd: command.cwd,
    env: { ...command.env, EMBEDDED_STORE_DATA_DIR: path.join(dir, 'ledger'), EMBEDDED_STORE_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const ready = out.split('\n').find((candidate) => candidate.startsWith('connectionString='));
        if (ready !== undefined) resolve(ready);
      });
      void exited.then((code) => reject(new Error(`the store exited (${code}) before it was ready`)));
    });

    expect(line).toBe(`connectionString=esdb://127.0.0.1:${port}?tls=false`);
    expect(existsSync(path.join(dir, 'ledger', 'store.sqlite'))).toBe(true);
  } finally {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  }
});
