/**
 * The engine against real SQLite (in memory; the same code path as on disk), one behaviour of a
 * real single node per case: given some writes, when a write or read happens, then what a client
 * would see.
 */
import { openSqliteEngine, type SqliteStorageEngine } from './sqlite-engine';
import type { AppendResult, StoredEvent } from './storage.types';
import { DELETED_STREAM_REVISION } from './stream-metadata';
import { allEvents, eventsRead, jsonEvent, metadataEvent, revisionsRead, text, userEvents } from './test-fixtures/engine-fixtures';

const story = 'story-ford-xiaomi-ev';
let engine: SqliteStorageEngine;
let clock: Date;

beforeEach(() => {
  clock = new Date('2026-03-02T09:00:00Z');
  engine = openSqliteEngine({ memory: true, now: () => clock });
});

afterEach(async () => {
  await engine.close();
});

async function given(streamId: string, count: number): Promise<AppendResult> {
  const events = Array.from({ length: count }, (_, i) => jsonEvent('SourceCited', { sourceId: `source-${i}` }));
  return engine.append(streamId, { kind: 'any' }, events);
}

describe('appending', () => {
  it('numbers a new stream from revision 0 and answers the last revision and position', async () => {
    const result = await engine.append(story, { kind: 'no_stream' }, [jsonEvent('ReportPublished'), jsonEvent('SourceCited')]);

    const stored = eventsRead(engine, story);
    expect(stored.map((e) => [e.revision, e.type])).toEqual([
      [0n, 'ReportPublished'],
      [1n, 'SourceCited'],
    ]);
    expect(result).toEqual({ outcome: 'ok', currentRevision: 1n, position: stored[1].position });
    expect(stored[1].position).toBeGreaterThan(stored[0].position);
  });

  it('keeps type, payload, metadata, JSON flag and a created stamp in .NET ticks since the Unix epoch', async () => {
    const binary = {
      id: 'a3c5d1f2-4b6e-4c8d-9e0f-1a2b3c4d5e6f',
      type: 'Scan',
      isJson: false,
      data: Buffer.from([0, 1, 2]),
      metadata: Buffer.from('{"recordedBy":"desk"}'),
    };
    await engine.append(story, { kind: 'any' }, [binary]);

    const [stored] = eventsRead(engine, story);
    expect(stored).toMatchObject({ streamId: story, id: binary.id, type: 'Scan', isJson: false, revision: 0n });
    expect([...stored.data]).toEqual([0, 1, 2]);
    expect(text(stored.metadata)).toBe('{"recordedBy":"desk"}');
    expect(stored.created).toBe(BigInt(clock.getTime()) * 10_000n);
  });

  it('appends with any after the last revision', async () => {
    await given(story, 2);

    const result = await engine.append(story, { kind: 'any' }, [jsonEvent()]);

    expect(result).toMatchObject({ outcome: 'ok', currentRevision: 2n });
  });

  it('refuses no_stream on an existing stream with its current revision', async () => {
    await given(story, 2);

    const result = await engine.append(story, { kind: 'no_stream' }, [jsonEvent()]);

    expect(result).toEqual({ outcome: 'wrong_expected_version', current: 1n, expected: { kind: 'no_stream' } });
  });

  it('refuses stream_exists on a missing stream with no_stream as current', async () => {
    const result = await engine.append(story, { kind: 'stream_exists' }, [jsonEvent()]);

    expect(result).toEqual({ outcome: 'wrong_expected_version', current: 'no_stream', expected: { kind: 'stream_exists' } });
    expect(revisionsRead(engine, story)).toBe('not_found');
  });

  it('accepts stream_exists on an existing stream', async () => {
    await given(story, 1);

    expect(await engine.append(story, { kind: 'stream_exists' }, [jsonEvent()])).toMatchObject({ outcome: 'ok', currentRevision: 1n });
  });

  it('accepts the exact current revision and refuses any other', async () => {
    await given(story, 3);

    const stale = await engine.append(story, { kind: 'exact', revision: 1n }, [jsonEvent()]);
    const ahead = await engine.append(story, { kind: 'exact', revision: 7n }, [jsonEvent()]);
    const current = await engine.append(story, { kind: 'exact', revision: 2n }, [jsonEvent()]);

    expect(stale).toEqual({ outcome: 'wrong_expected_version', current: 2n, expected: { kind: 'exact', revision: 1n } });
    expect(ahead).toMatchObject({ outcome: 'wrong_expected_version', current: 2n });
    expect(current).toMatchObject({ outcome: 'ok', currentRevision: 3n });
  });

  it('refuses an exact revision on a missing stream with no_stream as current', async () => {
    const result = await engine.append(story, { kind: 'exact', revision: 0n }, [jsonEvent()]);

    expect(result).toMatchObject({ outcome: 'wrong_expected_version', current: 'no_stream' });
  });

  it('acknowledges an empty append to a missing stream as no_stream, writing nothing', async () => {
    const before = allEvents(engine).length;

    const result = await engine.append(story, { kind: 'no_stream' }, []);

    expect(result).toEqual({ outcome: 'ok', currentRevision: 'no_stream', position: undefined });
    expect(allEvents(engine)).toHaveLength(before);
  });

  it('acknowledges an empty append to an existing stream with its current revision', async () => {
    await given(story, 2);

    expect(await engine.append(story, { kind: 'any' }, [])).toEqual({ outcome: 'ok', currentRevision: 1n, position: undefined });
    expect(await engine.append(story, { kind: 'exact', revision: 0n }, [])).toMatchObject({ outcome: 'wrong_expected_version', current: 1n });
  });
});

describe('idempotent retries', () => {
  it.each([
    ['no_stream', { kind: 'no_stream' } as const],
    ['the exact revision', { kind: 'exact', revision: 1n } as const],
    ['any', { kind: 'any' } as const],
  ])('acknowledges a retry with %s at the original positions and writes nothing', async (_name, expected) => {
    if (expected.kind === 'exact') await given(story, 2);
    const events = [jsonEvent('CompanyDenied', { companyId: 'ford' }), jsonEvent('CompanyDenied', { companyId: 'xiaomi' })];
    const first = await engine.append(story, expected, events);
    const countBefore = allEvents(engine).length;

    const retry = await engine.append(story, expected, events);

    expect(retry).toEqual(first);
    expect(allEvents(engine)).toHaveLength(countBefore);
  });

  it('refuses a retry whose ids only partly match what was written', async () => {
    const events = [jsonEvent(), jsonEvent()];
    await engine.append(story, { kind: 'no_stream' }, events);

    const result = await engine.append(story, { kind: 'no_stream' }, [events[0], jsonEvent()]);

    expect(result).toMatchObject({ outcome: 'wrong_expected_version', current: 1n });
  });

  it('does not take the same ids in another stream for a retry', async () => {
    const events = [jsonEvent()];
    await engine.append('story-a', { kind: 'any' }, events);

    const result = await engine.append('story-b', { kind: 'any' }, events);

    expect(result).toMatchObject({ outcome: 'ok', currentRevision: 0n });
    expect(eventsRead(engine, 'story-b')).toHaveLength(1);
  });
});

describe('$all', () => {
  it('starts with the system events a real node writes at start-up', () => {
    const system = allEvents(engine).map((e) => [e.streamId, e.type]);

    expect(system).toEqual([
      ['$epoch-information', '$epoch-information'],
      ['$$$scavenges', '$metadata'],
    ]);
    const epoch = JSON.parse(text(allEvents(engine)[0].data));
    expect(epoch).toMatchObject({ epochNumber: 0, prevEpochPosition: -1, epochPosition: 1 });
  });

  it('orders every event by one strictly increasing position', async () => {
    await given('story-a', 2);
    await given('story-b', 1);
    await given('story-a', 1);

    const positions = allEvents(engine).map((e) => e.position);

    expect(new Set(positions).size).toBe(positions.length);
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
    expect(userEvents(engine).map((e) => [e.streamId, e.revision])).toEqual([
      ['story-a', 0n],
      ['story-a', 1n],
      ['story-b', 0n],
      ['story-a', 2n],
    ]);
    expect(engine.headPosition()).toBe(positions[positions.length - 1]);
  });

  it('reads forwards from a position inclusively and backwards from a position exclusively', async () => {
    await given(story, 5);
    const [, second, third] = userEvents(engine);

    const forwards = [...engine.readAll(third.position, 'forwards', 2n)].map((e) => e.revision);
    const backwards = [...engine.readAll(third.position, 'backwards', 2n)].map((e) => e.revision);

    expect(forwards).toEqual([2n, 3n]);
    expect(backwards).toEqual([second.revision, 0n]);
  });

  it('keeps a lazy read a gap-free prefix of the log while writes land between its pages', async () => {
    await given(story, 2500);
    const reader = engine.readAll('start', 'forwards', 1_000_000n)[Symbol.iterator]();
    const seen: StoredEvent[] = [];
    for (let i = 0; i < 1200; i += 1) seen.push(reader.next().value as StoredEvent);

    await given(story, 600);
    for (let next = reader.next(); !next.done; next = reader.next()) seen.push(next.value);

    const revisions = seen.filter((e) => e.streamId === story).map((e) => e.revision);
    expect(revisions.length).toBeGreaterThanOrEqual(2500);
    expect(revisions).toEqual(Array.from({ length: revisions.length }, (_, i) => BigInt(i)));
  });

  it('reads nothing forwards from the end or backwards from the start, and the newest first backwards from the end', async () => {
    await given(story, 3);

    expect([...engine.readAll('end', 'forwards', 10n)]).toEqual([]);
    expect([...engine.readAll('start', 'backwards', 10n)]).toEqual([]);
    expect([...engine.readAll('end', 'backwards', 2n)].map((e) => e.revision)).toEqual([2n, 1n]);
  });

  it('pages through more events than one page without losing or repeating any', async () => {
    for (let batch = 0; batch < 5; batch += 1) await given(story, 700);

    const forwards = userEvents(engine).map((e) => e.revision);
    const backwards = [...engine.readAll('end', 'backwards', 3000n)].filter((e) => e.streamId === story).map((e) => e.revision);

    expect(forwards).toEqual(Array.from({ length: 3500 }, (_, i) => BigInt(i)));
    expect(backwards).toEqual(Array.from({ length: 3000 }, (_, i) => BigInt(3499 - i)));
  });
});

describe('reading a stream', () => {
  beforeEach(async () => {
    await given(story, 5);
  });

  it('reads forwards from the start, from a revision, and up to maxCount', () => {
    expect(revisionsRead(engine, story)).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(revisionsRead(engine, story, 2n, 'forwards', 2n)).toEqual([2n, 3n]);
  });

  it('reads backwards from the end and from a revision, inclusive', () => {
    expect(revisionsRead(engine, story, 'end', 'backwards', 3n)).toEqual([4n, 3n, 2n]);
    expect(revisionsRead(engine, story, 1n, 'backwards')).toEqual([1n, 0n]);
  });

  it('reads only revision 0 backwards from the start, and nothing forwards from the end', () => {
    expect(revisionsRead(engine, story, 'start', 'backwards')).toEqual([0n]);
    expect(revisionsRead(engine, story, 'end', 'forwards')).toEqual([]);
  });

  it('answers an empty range of an existing stream with no events, and a missing stream with not found', () => {
    expect(revisionsRead(engine, story, 9n, 'forwards')).toEqual([]);
    expect(revisionsRead(engine, 'story-never-written')).toBe('not_found');
  });

  it('produces events lazily, so a reader can stop early', () => {
    const result = engine.readStream(story, 'start', 'forwards', 1_000_000n);
    if (result.outcome !== 'ok') throw new Error(result.outcome);
    const iterator = result.events[Symbol.iterator]();

    expect(iterator.next().value?.revision).toBe(0n);
  });
});

describe('stream metadata on reads', () => {
  beforeEach(async () => {
    await given(story, 5);
  });

  it('hides all but the last $maxCount events', async () => {
    await engine.append(`$$${story}`, { kind: 'any' }, [metadataEvent('{"$maxCount":2}')]);

    expect(revisionsRead(engine, story)).toEqual([3n, 4n]);
    expect(revisionsRead(engine, story, 'end', 'backwards')).toEqual([4n, 3n]);
    expect(revisionsRead(engine, story, 0n, 'backwards')).toEqual([]);
  });

  it('hides the events before $tb', async () => {
    await engine.append(`$$${story}`, { kind: 'any' }, [metadataEvent('{"$tb":3}')]);

    expect(revisionsRead(engine, story)).toEqual([3n, 4n]);
  });

  it('hides events older than $maxAge seconds', async () => {
    clock = new Date(clock.getTime() + 60_000);
    await given(story, 1);
    await engine.append(`$$${story}`, { kind: 'any' }, [metadataEvent('{"$maxAge":30}')]);

    expect(revisionsRead(engine, story)).toEqual([5n]);
    expect(revisionsRead(engine, story, 'end', 'backwards')).toEqual([5n]);
  });

  it('follows the latest metadata only', async () => {
    await engine.append(`$$${story}`, { kind: 'any' }, [metadataEvent('{"$maxCount":1}')]);
    await engine.append(`$$${story}`, { kind: 'any' }, [metadataEvent('{"$maxCount":3}')]);

    expect(revisionsRead(engine, story)).toEqual([2n, 3n, 4n]);
  });

  it('keeps only the latest event readable in the metastream, as a real node does', async () => {
    await engine.append(`$$${story}`, { kind: 'any' }, [metadataEvent('{"$maxCount":1}')]);
    await engine.append(`$$${story}`, { kind: 'any' }, [metadataEvent('{"$maxCount":3}')]);

    const result = engine.readStream(`$$${story}`, 'end', 'backwards', 1n);
    if (result.outcome !== 'ok') throw new Error(result.outcome);
    expect([...result.events].map((e) => [e.revision, text(e.data)])).toEqual([[1n, '{"$maxCount":3}']]);
    expect(revisionsRead(engine, `$$${story}`)).toEqual([1n]);
  });

  it('hides nothing from $all', async () => {
    await engine.append(`$$${story}`, { kind: 'any' }, [metadataEvent('{"$maxCount":1}')]);

    expect(userEvents(engine)).toHaveLength(5);
  });

  it('ignores metadata that is not a JSON object', async () => {
    await engine.append(`$$${story}`, { kind: 'any' }, [metadataEvent('not json')]);

    expect(revisionsRead(engine, story)).toHaveLength(5);
  });
});

describe('soft delete', () => {
  it('makes reads say not found and writes $tb = int64 max alone to the metastream', async () => {
    await given(story, 2);
    await engine.append(`$$${story}`, { kind: 'any' }, [metadataEvent('{"$maxCount":10,"owner":"desk"}')]);

    const result = await engine.delete(story, { kind: 'any' });

    const metadata = allEvents(engine).at(-1) as StoredEvent;
    expect(result).toEqual({ outcome: 'ok', position: metadata.position });
    expect([metadata.streamId, metadata.type, text(metadata.data)]).toEqual([`$$${story}`, '$metadata', '{"$tb":9223372036854775807}']);
    expect(revisionsRead(engine, story)).toBe('not_found');
  });

  it('lets a later append recreate the stream, revisions continuing, then moves $tb to the first new revision', async () => {
    await given(story, 2);
    await engine.delete(story, { kind: 'any' });

    const result = await engine.append(story, { kind: 'no_stream' }, [jsonEvent('ReportPublished')]);

    expect(result).toMatchObject({ outcome: 'ok', currentRevision: 2n });
    expect(revisionsRead(engine, story)).toEqual([2n]);
    const [recreated, undelete] = allEvents(engine).slice(-2);
    expect([recreated.streamId, recreated.revision]).toEqual([story, 2n]);
    expect([undelete.streamId, undelete.type, text(undelete.data)]).toEqual([`$$${story}`, '$metadata', '{"$tb":2}']);
    expect(await engine.append(story, { kind: 'no_stream' }, [jsonEvent()])).toMatchObject({ outcome: 'wrong_expected_version', current: 2n });
  });

  it('undeletes the stream when new metadata is written to it, keeping the new keys, as a real node does', async () => {
    await given(story, 2);
    await engine.delete(story, { kind: 'any' });

    await engine.append(`$$${story}`, { kind: 'any' }, [metadataEvent('{"$maxCount":5,"owner":"desk"}')]);

    const undelete = allEvents(engine).at(-1) as StoredEvent;
    expect([undelete.streamId, JSON.parse(text(undelete.data))]).toEqual([`$$${story}`, { $maxCount: 5, owner: 'desk', $tb: 2 }]);
    expect(revisionsRead(engine, story)).toEqual([]);
    expect(await engine.append(story, { kind: 'no_stream' }, [jsonEvent()])).toMatchObject({ outcome: 'wrong_expected_version', current: 1n });
  });

  it('undeletes the stream on an empty append with any, as a real node does', async () => {
    await given(story, 2);
    await engine.delete(story, { kind: 'any' });

    const result = await engine.append(story, { kind: 'any' }, []);

    expect(result).toEqual({ outcome: 'ok', currentRevision: 1n, position: undefined });
    expect(revisionsRead(engine, story)).toEqual([]);
  });

  it('lets an append with the exact last revision or any recreate the stream too', async () => {
    await given('story-a', 2);
    await given('story-b', 2);
    await engine.delete('story-a', { kind: 'any' });
    await engine.delete('story-b', { kind: 'any' });

    expect(await engine.append('story-a', { kind: 'exact', revision: 1n }, [jsonEvent()])).toMatchObject({ outcome: 'ok', currentRevision: 2n });
    expect(await engine.append('story-b', { kind: 'any' }, [jsonEvent()])).toMatchObject({ outcome: 'ok', currentRevision: 2n });
    expect(revisionsRead(engine, 'story-a')).toEqual([2n]);
  });

  it('answers stream_exists on a soft-deleted stream with stream deleted, as a real node does', async () => {
    await given(story, 1);
    await engine.delete(story, { kind: 'any' });

    expect(await engine.append(story, { kind: 'stream_exists' }, [jsonEvent()])).toEqual({ outcome: 'stream_deleted' });
  });

  it('refuses to delete a stream that never existed', async () => {
    const result = await engine.delete('story-never-written', { kind: 'any' });

    expect(result).toEqual({ outcome: 'wrong_expected_version', current: 'no_stream', expected: { kind: 'any' } });
  });

  it('checks the expected revision against the stream', async () => {
    await given(story, 3);

    expect(await engine.delete(story, { kind: 'exact', revision: 1n })).toMatchObject({ outcome: 'wrong_expected_version', current: 2n });
    expect(await engine.delete(story, { kind: 'no_stream' })).toMatchObject({ outcome: 'wrong_expected_version', current: 2n });
    expect(await engine.delete(story, { kind: 'exact', revision: 2n })).toMatchObject({ outcome: 'ok' });
  });
});

describe('tombstone', () => {
  it('appends $streamDeleted at revision int64 max, visible in $all', async () => {
    await given(story, 2);

    const result = await engine.tombstone(story, { kind: 'any' });

    const tombstone = allEvents(engine).at(-1) as StoredEvent;
    expect(result).toEqual({ outcome: 'ok', position: tombstone.position });
    expect([tombstone.streamId, tombstone.type, tombstone.revision]).toEqual([story, '$streamDeleted', DELETED_STREAM_REVISION]);
  });

  it('makes every later read, append, delete and metadata access of the stream and its metastream stream-deleted', async () => {
    await given(story, 2);
    await engine.tombstone(story, { kind: 'any' });

    expect(engine.isTombstoned(story)).toBe(true);
    expect(engine.isTombstoned(`$$${story}`)).toBe(true);
    expect(revisionsRead(engine, story)).toBe('deleted');
    expect(revisionsRead(engine, `$$${story}`, 'end', 'backwards', 1n)).toBe('deleted');
    expect(await engine.append(story, { kind: 'any' }, [jsonEvent()])).toEqual({ outcome: 'stream_deleted' });
    expect(await engine.append(story, { kind: 'no_stream' }, [])).toEqual({ outcome: 'stream_deleted' });
    expect(await engine.append(`$$${story}`, { kind: 'any' }, [metadataEvent('{"$maxCount":1}')])).toEqual({ outcome: 'stream_deleted' });
    expect(await engine.delete(story, { kind: 'any' })).toEqual({ outcome: 'stream_deleted' });
    expect(await engine.tombstone(story, { kind: 'any' })).toEqual({ outcome: 'stream_deleted' });
  });

  it('is allowed on a soft-deleted stream', async () => {
    await given(story, 1);
    await engine.delete(story, { kind: 'any' });

    expect(await engine.tombstone(story, { kind: 'any' })).toMatchObject({ outcome: 'ok' });
    expect(revisionsRead(engine, story)).toBe('deleted');
  });

  it('checks the expected revision', async () => {
    await given(story, 2);

    expect(await engine.tombstone(story, { kind: 'exact', revision: 0n })).toMatchObject({ outcome: 'wrong_expected_version', current: 1n });
    expect(await engine.tombstone('story-never-written', { kind: 'stream_exists' })).toMatchObject({
      outcome: 'wrong_expected_version',
      current: 'no_stream',
    });
    expect(engine.isTombstoned(story)).toBe(false);
  });
});

describe('maximum append size', () => {
  const limited = () => openSqliteEngine({ memory: true, maxAppendSize: 100 });

  it('counts data, custom metadata and two bytes per character of the type, and accepts exactly the limit', async () => {
    const small = limited();
    // 90 + 6 + 2 × 2 = 100
    const event = { ...jsonEvent('Ab'), data: Buffer.alloc(90, 0x20), metadata: Buffer.alloc(6, 0x20) };

    expect(await small.append(story, { kind: 'any' }, [event])).toMatchObject({ outcome: 'ok' });
    await small.close();
  });

  it('refuses an append one byte over the limit, across all its events, and writes none of it', async () => {
    const small = limited();
    const events = [
      { ...jsonEvent('Ab'), data: Buffer.alloc(50) },
      { ...jsonEvent('Ab'), data: Buffer.alloc(43) },
    ];

    expect(await small.append(story, { kind: 'any' }, events)).toEqual({ outcome: 'max_append_size_exceeded', maxAppendSize: 100 });
    expect(revisionsRead(small, story)).toBe('not_found');
    await small.close();
  });

  it('defaults to 1 MiB, as a real node', async () => {
    // 1,048,574 + 2 × 1 = 1 MiB exactly; a two-letter type makes it 2 bytes too many.
    const event = { ...jsonEvent('A'), data: Buffer.alloc(1024 * 1024 - 2) };

    expect(await engine.append(story, { kind: 'any' }, [event])).toMatchObject({ outcome: 'ok' });
    expect(await engine.append(story, { kind: 'any' }, [{ ...event, type: 'AB' }])).toEqual({
      outcome: 'max_append_size_exceeded',
      maxAppendSize: 1024 * 1024,
    });
  });
});

describe('group commit', () => {
  it('commits writes that arrive in the same turn in one transaction', async () => {
    const commitsBefore = engine.stats().commits;

    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => engine.append(`story-${i}`, { kind: 'no_stream' }, [jsonEvent()])));

    expect(results.every((r) => r.outcome === 'ok')).toBe(true);
    expect(engine.stats().commits - commitsBefore).toBe(1);
    expect(userEvents(engine).map((e) => e.streamId)).toEqual(Array.from({ length: 50 }, (_, i) => `story-${i}`));
  });

  it('commits a very large turn in batches of at most 1,000 writes, in arrival order', async () => {
    const commitsBefore = engine.stats().commits;

    const results = await Promise.all(Array.from({ length: 2500 }, () => engine.append(story, { kind: 'any' }, [jsonEvent()])));

    expect(engine.stats().commits - commitsBefore).toBe(3);
    expect(results.map((r) => (r.outcome === 'ok' ? r.currentRevision : r.outcome))).toEqual(Array.from({ length: 2500 }, (_, i) => BigInt(i)));
  });

  it('checks each write against the earlier writes of its batch, and one refusal fails no other write', async () => {
    const [first, second, third, deleted] = await Promise.all([
      engine.append(story, { kind: 'no_stream' }, [jsonEvent()]),
      engine.append(story, { kind: 'no_stream' }, [jsonEvent()]),
      engine.append(story, { kind: 'exact', revision: 0n }, [jsonEvent()]),
      engine.tombstone('story-other', { kind: 'any' }),
    ]);

    expect(first).toMatchObject({ outcome: 'ok', currentRevision: 0n });
    expect(second).toMatchObject({ outcome: 'wrong_expected_version', current: 0n });
    expect(third).toMatchObject({ outcome: 'ok', currentRevision: 1n });
    expect(deleted).toMatchObject({ outcome: 'ok' });
  });

  it('fails only the write whose event SQLite refuses, undoing all of that write and none of the others', async () => {
    const delivered: string[] = [];
    engine.onCommit((events) => delivered.push(...events.map((e) => `${e.streamId}@${e.revision}`)));
    const malformed = { ...jsonEvent(), id: null as unknown as string };

    const [before, refused, after] = await Promise.allSettled([
      engine.append(story, { kind: 'no_stream' }, [jsonEvent()]),
      engine.append(story, { kind: 'exact', revision: 0n }, [jsonEvent(), malformed]),
      engine.append(story, { kind: 'exact', revision: 0n }, [jsonEvent()]),
    ]);

    expect(before).toMatchObject({ status: 'fulfilled', value: { outcome: 'ok', currentRevision: 0n } });
    expect(refused.status).toBe('rejected');
    expect(after).toMatchObject({ status: 'fulfilled', value: { outcome: 'ok', currentRevision: 1n } });
    expect(revisionsRead(engine, story)).toEqual([0n, 1n]);
    expect(delivered).toEqual([`${story}@0`, `${story}@1`]);
    expect(await engine.append(story, { kind: 'exact', revision: 1n }, [jsonEvent()])).toMatchObject({ outcome: 'ok', currentRevision: 2n });
  });

  it('tells commit listeners about each commit once, in position order, before the writers hear back', async () => {
    const delivered: StoredEvent[][] = [];
    const stop = engine.onCommit((events) => delivered.push([...events]));
    let listenerRanFirst = false;

    await Promise.all([
      engine.append('story-a', { kind: 'any' }, [jsonEvent(), jsonEvent()]).then(() => (listenerRanFirst = delivered.length === 1)),
      engine.append('story-b', { kind: 'any' }, [jsonEvent()]),
    ]);
    stop();
    await engine.append('story-c', { kind: 'any' }, [jsonEvent()]);

    expect(listenerRanFirst).toBe(true);
    expect(delivered).toHaveLength(1);
    expect(delivered[0].map((e) => [e.streamId, e.revision])).toEqual([
      ['story-a', 0n],
      ['story-a', 1n],
      ['story-b', 0n],
    ]);
    expect(delivered[0]).toEqual(userEvents(engine).slice(0, 3));
  });

  it('delivers the metadata written by deletes and recreations to listeners as well', async () => {
    await given(story, 1);
    const delivered: string[] = [];
    engine.onCommit((events) => delivered.push(...events.map((e) => `${e.streamId}:${e.type}`)));

    await engine.delete(story, { kind: 'any' });
    await engine.append(story, { kind: 'any' }, [jsonEvent('ReportPublished')]);

    expect(delivered).toEqual([`$$${story}:$metadata`, `${story}:ReportPublished`, `$$${story}:$metadata`]);
  });

  it('keeps writing for the other listeners and writers when a listener throws', async () => {
    engine.onCommit(() => {
      throw new Error('projection bug');
    });
    const seen: number[] = [];
    engine.onCommit((events) => seen.push(events.length));

    const result = await engine.append(story, { kind: 'any' }, [jsonEvent()]);

    expect(result).toMatchObject({ outcome: 'ok' });
    expect(seen).toEqual([1]);
  });

  it('refuses writes once closed, after committing what was queued', async () => {
    const pending = engine.append(story, { kind: 'any' }, [jsonEvent()]);
    const other = openSqliteEngine({ memory: true });
    await other.close();

    await engine.close();

    await expect(pending).resolves.toMatchObject({ outcome: 'ok' });
    await expect(other.append(story, { kind: 'any' }, [jsonEvent()])).rejects.toThrow('closed');
  });
});
