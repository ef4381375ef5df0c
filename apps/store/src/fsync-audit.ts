import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { storeCommand } from './store.process';

/**
 * `npm run build && node dist/apps/store/src/fsync-audit.js [--appends N]` (Linux, strace):
 * checks that the store answers an append only after the WAL holding it is synced to disk.
 * The crash test cannot show this: a SIGKILLed process's writes survive in the page cache,
 * so a store that acknowledged before its fsync would pass it and still lose data on power loss.
 *
 * The store runs under strace; one client appends N single events one after the other, so
 * every answer on a socket must come after a completed fsync/fdatasync of the WAL that
 * follows the WAL's last write. Exit code 1 if any answer came earlier.
 */

export interface AuditResult {
  readonly walWrites: number;
  readonly walSyncs: number;
  readonly socketWrites: number;
  /** Socket writes made while the WAL held writes not yet synced. */
  readonly early: readonly string[];
}

/** Reads an `strace -f -y` log of write, pwrite64, writev, sendmsg, fsync and fdatasync calls. */
export function auditTrace(lines: readonly string[]): AuditResult {
  let unsynced = false;
  let walWrites = 0;
  let walSyncs = 0;
  let socketWrites = 0;
  const early: string[] = [];
  // A sync on the thread pool shows as "<unfinished ...>" then "<... fdatasync resumed>" in the same thread.
  const syncing = new Set<string>();
  for (const line of lines) {
    const thread = line.split(' ', 1)[0] ?? '';
    if (/(pwrite64|pwritev|write)\(\d+<[^>]*-wal>/.test(line)) {
      unsynced = true;
      walWrites += 1;
    } else if (/(fdatasync|fsync)\(\d+<[^>]*-wal>/.test(line)) {
      if (line.includes('unfinished')) syncing.add(thread);
      else if (/= 0$/.test(line)) {
        unsynced = false;
        walSyncs += 1;
      }
    } else if (/<\.\.\. (fdatasync|fsync) resumed>/.test(line) && syncing.delete(thread) && /= 0$/.test(line)) {
      unsynced = false;
      walSyncs += 1;
    } else if (/(writev|write|sendmsg)\((?![12]<)\d+<(socket|TCP)/.test(line)) {
      socketWrites += 1;
      if (unsynced) early.push(line.slice(0, 160));
    }
  }
  return { walWrites, walSyncs, socketWrites, early };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { appends: { type: 'string' } } });
  const appends = Number(values.appends ?? 300);
  if (spawnSync('strace', ['-V']).status !== 0) {
    console.error('fsync audit: strace is not installed');
    return 2;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'store-fsync-audit-'));
  const trace = path.join(dir, 'trace.txt');
  const command = storeCommand();
  const strace = spawn(
    'strace',
    [
      '-f',
      '-y',
      '-tt',
      '-e',
      'trace=write,pwrite64,pwritev,writev,sendmsg,fsync,fdatasync',
      '-o',
      trace,
      process.execPath,
      ...command.args,
      '--db',
      path.join(dir, 'data'),
      '--port',
      '0',
    ],
    { cwd: command.cwd, env: command.env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => strace.once('exit', () => resolve()));
  try {
    const connectionString = await new Promise<string>((resolve, reject) => {
      let out = '';
      strace.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match = /(esdb:\/\/\S+)/.exec(out);
        if (match) resolve(match[1] as string);
      });
      void exited.then(() => reject(new Error('the store exited before it was ready')));
    });
    const client = EventStoreDBClient.connectionString(connectionString);
    for (let i = 0; i < appends; i += 1) await client.appendToStream('fsync-audit', jsonEvent({ type: 'Audited', data: { i } }));
    await client.dispose();
  } finally {
    // SIGTERM to strace would detach it and leave the store running: stop the store itself.
    const children = readFileSync(`/proc/${strace.pid}/task/${strace.pid}/children`, 'utf8').trim().split(' ');
    for (const pid of children) if (pid) process.kill(Number(pid), 'SIGTERM');
    await exited;
  }
  const result = auditTrace(readFileSync(trace, 'utf8').split('\n'));
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `${appends} appends, one at a time: ${result.walWrites} WAL writes, ${result.walSyncs} WAL syncs, ` +
      `${result.socketWrites} socket writes, ${result.early.length} of them before the WAL was synced`,
  );
  for (const line of result.early.slice(0, 5)) console.log(`  ✗ ${line}`);
  if (result.early.length > 0 || result.walSyncs < appends) {
    console.log('VIOLATION: an append was answered before its WAL write was synced');
    return 1;
  }
  console.log('ok: every answer came after the fsync of the WAL that holds it');
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
