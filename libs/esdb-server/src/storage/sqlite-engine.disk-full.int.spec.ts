/**
 * A full disk, injected where the engine meets it: SQLite failing a commit (SQLITE_FULL) and the
 * sync of the log failing (ENOSPC). Writes are refused with an error naming the file and the cause,
 * nothing acknowledged is lost, nothing refused is kept, and writes resume once space is back,
 * without reopening the engine.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openSqliteEngine, type SqliteStorageEngine, type StorageFaults } from './sqlite-engine';
import { StorageFullError } from './storage-errors';
import type { StoredEvent } from './storage.types';
import { jsonEvent, revisionsRead, userEvents } from './test-fixtures/engine-fixtures';

let workDir: string;
let dataDir: string;
let faults: StorageFaults;
let engine: SqliteStorageEngine;
let warnings: jest.SpyInstance;
/** The warnings the engine logged, as `type: message`. */
const logged = (): string[] => warnings.mock.calls.map(([message, type]) => `${String(type)}: ${String(message)}`);

beforeEach(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'esdb-engine-full-'));
  dataDir = path.join(workDir, 'data');
  faults = { failWrites: 0, failSyncs: 0 };
  engine = openSqliteEngine({ dataDir, faults });
  warnings = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
});

afterEach(async () => {
  warnings.mockRestore();
  await engine.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

const walFile = () => path.join(dataDir, 'store.sqlite-wal');
const ids = (events: readonly StoredEvent[]) => events.map((event) => event.id);
const settled = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

async function reopened(): Promise<StoredEvent[]> {
  await engine.close();
  engine = openSqliteEngine({ dataDir });
  return userEvents(engine);
}

describe('given a store with one acknowledged event', () => {
  let acknowledged: string;
  beforeEach(async () => {
    const event = jsonEvent();
    await engine.append('story-1', { kind: 'no_stream' }, [event]);
    acknowledged = event.id;
  });

  it('when SQLite fails the commit for want of space, then the writes of that batch fail naming the WAL and SQLITE_FULL, and the next write succeeds', async () => {
    faults.failWrites = 1;
    const refused = [jsonEvent(), jsonEvent()];
    const answers = await Promise.all([
      settled(engine.append('story-1', { kind: 'any' }, [refused[0]])),
      settled(engine.append('story-2', { kind: 'any' }, [refused[1]])),
    ]);
    for (const answer of answers) {
      expect('error' in answer && answer.error).toBeInstanceOf(StorageFullError);
      const error = (answer as { error: StorageFullError }).error;
      expect(error).toMatchObject({ reason: 'SQLITE_FULL', file: walFile(), operation: 'write' });
      expect(error.message).toContain(walFile());
    }
    expect(logged().filter((w) => w.startsWith('StoreFullWarning') && w.includes('SQLITE_FULL') && w.includes(walFile()))).toHaveLength(1);
    expect(ids(userEvents(engine))).toEqual([acknowledged]);

    const resumed = jsonEvent();
    await expect(engine.append('story-1', { kind: 'any' }, [resumed])).resolves.toMatchObject({ outcome: 'ok', currentRevision: 1n });
    expect(logged()).toContainEqual(expect.stringMatching(/^StoreFullWarning: The store writes .* again/));
    expect(ids(userEvents(engine))).toEqual([acknowledged, resumed.id]);
    expect(ids(await reopened())).toEqual([acknowledged, resumed.id]);
  });

  it('when the sync of the log fails with ENOSPC, then its writes fail, are never shown, and are not kept once writes resume', async () => {
    const delivered: StoredEvent[] = [];
    engine.onCommit((events) => delivered.push(...events));
    faults.failSyncs = 1;
    const doubtful = jsonEvent();
    const answer = await settled(engine.append('story-1', { kind: 'any' }, [doubtful]));
    expect('error' in answer && answer.error).toBeInstanceOf(StorageFullError);
    expect((answer as { error: StorageFullError }).error).toMatchObject({ reason: 'ENOSPC', file: walFile(), operation: 'sync' });
    expect(revisionsRead(engine, 'story-1')).toEqual([0n]);

    // Still full: the recovery's own write fails, and the write is refused.
    faults.failWrites = 1;
    const whileFull = await settled(engine.append('story-1', { kind: 'any' }, [jsonEvent()]));
    expect('error' in whileFull && whileFull.error).toBeInstanceOf(StorageFullError);

    // Space is back: the next write recovers the engine and is written at the revision after the acknowledged one.
    const resumed = jsonEvent();
    await expect(engine.append('story-1', { kind: 'any' }, [resumed])).resolves.toMatchObject({ outcome: 'ok', currentRevision: 1n });
    expect(ids(delivered.filter((event) => !event.streamId.startsWith('$')))).toEqual([resumed.id]);
    expect(ids(userEvents(engine))).toEqual([acknowledged, resumed.id]);
    expect(ids(await reopened())).toEqual([acknowledged, resumed.id]);
  });

  it('when many writers post while syncs and commits fail, then every acknowledged event is there after a reopen and no refused one is', async () => {
    const acked: string[] = [acknowledged];
    const refused: string[] = [];
    for (let round = 0; round < 10; round += 1) {
      if (round % 3 === 1) faults.failSyncs = 1;
      if (round % 3 === 2) faults.failWrites = 1;
      const events = Array.from({ length: 20 }, () => jsonEvent());
      const answers = await Promise.all(events.map((event, i) => settled(engine.append(`story-${i % 4}`, { kind: 'any' }, [event]))));
      answers.forEach((answer, i) => ('value' in answer ? acked : refused).push(events[i].id));
    }
    expect(refused.length).toBeGreaterThan(0);
    expect(ids(userEvents(engine)).sort()).toEqual([...acked].sort());
    expect(ids(await reopened()).sort()).toEqual([...acked].sort());
  });
});
