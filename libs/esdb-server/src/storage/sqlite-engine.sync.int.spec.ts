/**
 * The engine on disk syncs its log off the event loop: between a commit and the end of its sync,
 * the write is in SQLite but not yet known to be on disk, so nobody may learn of it: the writer is
 * not answered, commit listeners are not called, and reads do not see it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openSqliteEngine, type SqliteStorageEngine } from './sqlite-engine';
import type { StoredEvent } from './storage.types';
import { allEvents, jsonEvent, metadataEvent, revisionsRead } from './test-fixtures/engine-fixtures';

let workDir: string;
let engine: SqliteStorageEngine;

beforeEach(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'esdb-engine-sync-'));
  engine = openSqliteEngine({ dataDir: path.join(workDir, 'data') });
});

afterEach(async () => {
  await engine.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

/**
 * Runs `check` right after the engine has committed the writes queued so far and before their
 * sync can have ended: the flush is a setImmediate queued earlier in the same check phase, and a
 * sync's completion arrives in a later poll phase.
 */
function rightAfterCommit<T>(check: () => T): Promise<T> {
  return new Promise((resolve) => setImmediate(() => resolve(check())));
}

it('answers the writer, calls listeners and shows the events to reads only once the sync is done', async () => {
  await engine.append('story-1', { kind: 'no_stream' }, [jsonEvent()]);
  const delivered: StoredEvent[] = [];
  engine.onCommit((events) => delivered.push(...events));
  const headBefore = engine.headPosition();
  const commitsBefore = engine.stats().commits;
  let answered = false;

  const appended = engine.append('story-1', { kind: 'exact', revision: 0n }, [jsonEvent()]).then((result) => {
    answered = true;
    return result;
  });
  const created = engine.append('story-2', { kind: 'no_stream' }, [jsonEvent()]);
  const metadata = engine.append('$$story-1', { kind: 'any' }, [metadataEvent('{"$maxCount":1}')]);
  const seen = await rightAfterCommit(() => ({
    committed: engine.stats().commits - commitsBefore,
    answered,
    delivered: delivered.length,
    head: engine.headPosition(),
    all: allEvents(engine).length,
    story1: revisionsRead(engine, 'story-1'),
    story1Backwards: revisionsRead(engine, 'story-1', 'end', 'backwards'),
    story2: revisionsRead(engine, 'story-2'),
  }));

  expect(seen).toEqual({
    committed: 1,
    answered: false,
    delivered: 0,
    head: headBefore,
    all: Number(headBefore),
    story1: [0n],
    story1Backwards: [0n],
    story2: 'not_found',
  });
  expect(await appended).toMatchObject({ outcome: 'ok', currentRevision: 1n });
  await Promise.all([created, metadata]);
  expect(delivered.map((e) => e.streamId)).toEqual(['story-1', 'story-2', '$$story-1']);
  expect(engine.headPosition()).toBe(headBefore + 3n);
  expect(revisionsRead(engine, 'story-1')).toEqual([1n]);
  expect(revisionsRead(engine, 'story-2')).toEqual([0n]);
});

it('commits what arrives during a sync together after it, and settles every write in order', async () => {
  const first = engine.append('story-1', { kind: 'no_stream' }, [jsonEvent()]);
  await rightAfterCommit(() => undefined);
  const commitsDuringSync = engine.stats().commits;
  const later = Array.from({ length: 20 }, (_, i) => engine.append('story-1', { kind: 'exact', revision: BigInt(i) }, [jsonEvent()]));

  const results = await Promise.all([first, ...later]);

  expect(results.map((r) => (r.outcome === 'ok' ? r.currentRevision : r.outcome))).toEqual(Array.from({ length: 21 }, (_, i) => BigInt(i)));
  // The 20 writes queued while the first one's sync ran: one transaction, not twenty.
  expect(engine.stats().commits - commitsDuringSync).toBe(1);
});

it('syncs the writes still queued when it closes, and refuses later ones', async () => {
  const dataDir = path.join(workDir, 'data');
  const pending = engine.append('story-1', { kind: 'no_stream' }, [jsonEvent()]);
  await engine.close();
  expect(await pending).toMatchObject({ outcome: 'ok', currentRevision: 0n });
  await expect(engine.append('story-1', { kind: 'any' }, [jsonEvent()])).rejects.toThrow('closed');

  engine = openSqliteEngine({ dataDir });
  expect(revisionsRead(engine, 'story-1')).toEqual([0n]);
});
