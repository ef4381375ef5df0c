/**
 * The engine on disk: everything written is there after a reopen, and the in-memory index
 * (revisions, deletes, metadata, recent event ids) is rebuilt from the file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openSqliteEngine } from './sqlite-engine';
import { DELETED_STREAM_REVISION } from './stream-metadata';
import { allEvents, jsonEvent, metadataEvent, revisionsRead, text, userEvents } from './test-fixtures/engine-fixtures';

let dataDir: string;

beforeEach(() => {
  dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'esdb-engine-')), 'nested', 'data');
});

afterEach(() => {
  fs.rmSync(path.dirname(path.dirname(dataDir)), { recursive: true, force: true });
});

it('creates the data directory and keeps the log in store.sqlite inside it', async () => {
  const engine = openSqliteEngine({ dataDir });
  await engine.append('story-1', { kind: 'any' }, [jsonEvent()]);
  await engine.close();

  expect(fs.existsSync(path.join(dataDir, 'store.sqlite'))).toBe(true);
});

it('reopens with every event, position and payload as written', async () => {
  const first = openSqliteEngine({ dataDir });
  await first.append('story-1', { kind: 'no_stream' }, [jsonEvent('ReportPublished', { reportId: 'ft-1' }), jsonEvent('SourceCited')]);
  await first.append('story-2', { kind: 'no_stream' }, [jsonEvent('ReportPublished', { reportId: 'kontan-1' })]);
  const before = allEvents(first);
  await first.close();

  const second = openSqliteEngine({ dataDir });
  const after = allEvents(second);
  await second.close();

  expect(after.slice(0, before.length)).toEqual(before);
  expect(after.slice(before.length).map((e) => e.streamId)).toEqual(['$epoch-information']);
});

it('rebuilds stream revisions, so expected revisions and retries behave as before the restart', async () => {
  const retried = [jsonEvent('CompanyDenied', { companyId: 'ford' })];
  const first = openSqliteEngine({ dataDir });
  await first.append('story-1', { kind: 'any' }, [jsonEvent(), jsonEvent()]);
  const original = await first.append('story-1', { kind: 'exact', revision: 1n }, retried);
  await first.close();

  const second = openSqliteEngine({ dataDir });
  const stale = await second.append('story-1', { kind: 'no_stream' }, [jsonEvent()]);
  const anyRetry = await second.append('story-1', { kind: 'any' }, retried);
  const exactRetry = await second.append('story-1', { kind: 'exact', revision: 1n }, retried);
  const next = await second.append('story-1', { kind: 'exact', revision: 2n }, [jsonEvent()]);
  await second.close();

  expect(stale).toMatchObject({ outcome: 'wrong_expected_version', current: 2n });
  expect(anyRetry).toEqual(original);
  expect(exactRetry).toEqual(original);
  expect(next).toMatchObject({ outcome: 'ok', currentRevision: 3n });
});

it('rebuilds soft deletes, tombstones and metadata', async () => {
  const first = openSqliteEngine({ dataDir });
  await first.append('story-soft', { kind: 'any' }, [jsonEvent(), jsonEvent()]);
  await first.delete('story-soft', { kind: 'any' });
  await first.append('story-hard', { kind: 'any' }, [jsonEvent()]);
  await first.tombstone('story-hard', { kind: 'any' });
  await first.append('story-capped', { kind: 'any' }, [jsonEvent(), jsonEvent(), jsonEvent()]);
  await first.append('$$story-capped', { kind: 'any' }, [metadataEvent('{"$maxCount":1,"owner":"desk"}')]);
  await first.close();

  const second = openSqliteEngine({ dataDir });

  expect(revisionsRead(second, 'story-soft')).toBe('not_found');
  expect(revisionsRead(second, 'story-hard')).toBe('deleted');
  expect(second.isTombstoned('$$story-hard')).toBe(true);
  expect(revisionsRead(second, 'story-capped')).toEqual([2n]);
  expect(await second.append('story-hard', { kind: 'any' }, [jsonEvent()])).toEqual({ outcome: 'stream_deleted' });
  expect(await second.append('story-soft', { kind: 'no_stream' }, [jsonEvent()])).toMatchObject({ outcome: 'ok', currentRevision: 2n });
  expect(revisionsRead(second, 'story-soft')).toEqual([2n]);
  const tombstone = userEvents(second).find((e) => e.streamId === 'story-hard' && e.revision === DELETED_STREAM_REVISION);
  expect(tombstone?.type).toBe('$streamDeleted');
  await second.close();
});

it('writes a new epoch at each start that points at the previous one, and the scavenge metadata once', async () => {
  await openSqliteEngine({ dataDir }).close();
  await openSqliteEngine({ dataDir }).close();

  const third = openSqliteEngine({ dataDir });
  const system = allEvents(third);
  await third.close();

  const epochs = system.filter((e) => e.streamId === '$epoch-information');
  const bodies = epochs.map((e) => JSON.parse(text(e.data)));
  expect(epochs.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
  expect(bodies.map((b) => b.epochNumber)).toEqual([0, 1, 2]);
  expect(bodies.map((b) => b.prevEpochPosition)).toEqual([-1, Number(epochs[0].position), Number(epochs[1].position)]);
  expect(system.filter((e) => e.streamId === '$$$scavenges')).toHaveLength(1);
});

it('refuses to open a store that another engine holds open, and opens it once that one is closed', async () => {
  const first = openSqliteEngine({ dataDir });

  expect(() => openSqliteEngine({ dataDir })).toThrow('open in another process');

  await first.close();
  const second = openSqliteEngine({ dataDir });
  await second.close();
});
