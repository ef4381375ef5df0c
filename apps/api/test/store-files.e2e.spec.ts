// Starting the api on a data directory whose store file cannot be used: the start fails with a
// message naming the file and the cause, and leaves the file as it found it. Only a directory
// without a store file starts a new, empty ledger.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { SEED_STORY_EVENTS } from '@newsroom/domain';
import { startEmbeddedStore } from '@newsroom/esdb-server';
import { startApi } from '../src/bootstrap';
import { TOKENS_ENV, freshStoryId, postEvents } from './support/api.harness';
import { mountSmallFilesystem } from './support/small-filesystem';

jest.setTimeout(60_000);

let workDir: string;
beforeEach(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-store-files-'));
});
afterEach(() => {
  fs.chmodSync(workDir, 0o700);
  fs.rmSync(workDir, { recursive: true, force: true });
});

const start = (dataDir: string) => startApi({ embeddedStore: { dataDir, port: 0 }, tokens: TOKENS_ENV, port: 0, logger: false });

/** A data directory holding a store the engine wrote (and closed), with the start-up events in it. */
async function writtenStore(dataDir: string): Promise<string> {
  const store = await startEmbeddedStore({ dataDir, port: 0 });
  await store.stop();
  return path.join(dataDir, 'store.sqlite');
}

/** Starts the api on `dataDir`, expects the start to fail, and returns the message. */
async function refusal(dataDir: string): Promise<string> {
  const started = start(dataDir);
  await expect(started).rejects.toThrow();
  return ((await started.catch((error: unknown) => error)) as Error).message;
}

it('given an empty directory, when the api starts, then it creates a new store stamped as ours and takes posts', async () => {
  const dataDir = path.join(workDir, 'fresh');
  const api = await start(dataDir);
  try {
    expect((await postEvents(api, freshStoryId('fresh'), SEED_STORY_EVENTS[0])).status).toBe(201);
  } finally {
    await api.stop();
  }
  expect(fs.readdirSync(dataDir).filter((name) => name.includes('creating'))).toEqual([]);
  // SQLite's header holds the application id at byte 68, big-endian: 'NLDG'.
  expect(fs.readFileSync(path.join(dataDir, 'store.sqlite')).subarray(68, 72).toString('latin1')).toBe('NLDG');
});

it('given a zero-byte store.sqlite, when the api starts, then it refuses, naming the file and that it is empty, and leaves it as it was', async () => {
  const file = path.join(workDir, 'store.sqlite');
  fs.writeFileSync(file, '');
  const message = await refusal(workDir);
  expect(message).toContain(file);
  expect(message).toMatch(/empty \(0 bytes\)/);
  expect(fs.statSync(file).size).toBe(0);
  expect(fs.readdirSync(workDir)).toEqual(['store.sqlite']);
});

it.each([
  ['a file that is not SQLite at all', (file: string) => fs.writeFileSync(file, Buffer.alloc(8192, 0x5a))],
  [
    'a store whose event pages are overwritten',
    (file: string) => {
      const fd = fs.openSync(file, 'r+');
      fs.writeSync(fd, Buffer.alloc(fs.statSync(file).size - 4096, 0xa5), 0, undefined, 4096);
      fs.closeSync(fd);
    },
  ],
])('given %s as store.sqlite, when the api starts, then it refuses, naming the file and that it is corrupt', async (_case, damage) => {
  const file = await writtenStore(workDir);
  damage(file);
  const before = fs.readFileSync(file);
  const message = await refusal(workDir);
  expect(message).toContain(file);
  expect(message).toMatch(/corrupt or not a SQLite database \((SQLITE_NOTADB|SQLITE_CORRUPT)/);
  expect(fs.readFileSync(file).equals(before)).toBe(true);
});

it('given a SQLite file of another application as store.sqlite, when the api starts, then it refuses, naming the file and what it holds, and leaves it as it was', async () => {
  const file = path.join(workDir, 'store.sqlite');
  const foreign = new Database(file);
  foreign.exec("CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('ada');");
  foreign.close();
  const before = fs.readFileSync(file);
  const message = await refusal(workDir);
  expect(message).toContain(file);
  expect(message).toMatch(/another application.*application_id 0, user_version 0, tables: users/);
  expect(fs.readFileSync(file).equals(before)).toBe(true);
  expect(fs.readdirSync(workDir)).toEqual(['store.sqlite']);
});

it('given a store in a read-only data directory, when the api starts, then it refuses, naming the file and that the directory is not writable', async () => {
  // Root writes through permissions, so as root the directory is a read-only mount instead.
  const small = process.getuid?.() === 0 ? mountSmallFilesystem(1024 * 1024) : undefined;
  if (small !== undefined && 'unavailable' in small) {
    console.warn(`the read-only data directory test does not run here: ${small.unavailable}`);
    return;
  }
  const dataDir = small === undefined ? path.join(workDir, 'data') : small.dir;
  try {
    const file = await writtenStore(dataDir);
    if (small === undefined) fs.chmodSync(dataDir, 0o555);
    else small.remount('ro');
    const message = await refusal(dataDir);
    expect(message).toContain(file);
    expect(message).toMatch(small === undefined ? /not writable \(EACCES/ : /not writable \(EROFS/);
  } finally {
    if (small === undefined) fs.chmodSync(dataDir, 0o700);
    else small.unmount();
  }
});
