/**
 * Stream metadata in `$$<stream>` (esdb-wire.md 8), and the keys a real node
 * honours on stream reads: `$maxCount`, `$maxAge`, `$tb`.
 */
import { BACKWARDS, END, NO_STREAM, WrongExpectedVersionError, jsonEvent } from '@eventstore/db-client';
import { uniqueStream } from '../support/names';
import { collect, rejectionOf } from '../support/outcomes';
import { useStore } from '../support/store-under-test';

const fact = (n: number) => jsonEvent({ type: 'FactRecorded', data: { n } });
const facts = (count: number, from = 0) => Array.from({ length: count }, (_, i) => fact(from + i));

describe('stream metadata', () => {
  const store = useStore();
  const write = async (count: number) => {
    const stream = uniqueStream('meta');
    await store.client.appendToStream(stream, facts(count), { expectedRevision: NO_STREAM });
    return stream;
  };
  const revisions = async (stream: string, options: Parameters<typeof store.client.readStream>[1] = {}) =>
    (await collect(store.client.readStream(stream, options))).map((resolved) => resolved.event!.revision);
  const inAll = async (stream: string) => {
    const newest = await collect(store.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 500 }));
    return newest.filter((resolved) => resolved.event?.streamId === stream).length;
  };

  it('round-trips the known keys and custom ones', async () => {
    const stream = await write(1);
    await store.client.setStreamMetadata(stream, {
      maxCount: 7,
      maxAge: 3600,
      truncateBefore: 0,
      cacheControl: 60,
      desk: 'economy',
      languages: ['en', 'id'],
    });
    const { streamName, metadata } = await store.client.getStreamMetadata(stream);
    expect(streamName).toBe(stream);
    expect(metadata).toMatchObject({ maxCount: 7, maxAge: 3600, truncateBefore: 0, cacheControl: 60, desk: 'economy', languages: ['en', 'id'] });
  });

  it('of a stream without any: just the stream name', async () => {
    const stream = await write(1);
    const result = await store.client.getStreamMetadata(stream);
    expect(result.streamName).toBe(stream);
    expect(result.metadata).toBeUndefined();
  });

  it('checks the expected revision against the metastream', async () => {
    const stream = await write(1);
    await store.client.setStreamMetadata(stream, { maxCount: 3 }, { expectedRevision: NO_STREAM });
    const error = await rejectionOf(store.client.setStreamMetadata(stream, { maxCount: 4 }, { expectedRevision: NO_STREAM }));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: `$$${stream}`, actualVersion: 0n });
    await store.client.setStreamMetadata(stream, { maxCount: 4 }, { expectedRevision: 0n });
    expect((await store.client.getStreamMetadata(stream)).metadata).toMatchObject({ maxCount: 4 });
  });

  it('$maxCount: reads show only the newest events, in both directions and from any revision', async () => {
    const stream = await write(5);
    await store.client.setStreamMetadata(stream, { maxCount: 2 });
    expect(await revisions(stream)).toEqual([3n, 4n]);
    expect(await revisions(stream, { direction: BACKWARDS, fromRevision: END })).toEqual([4n, 3n]);
    expect(await revisions(stream, { fromRevision: 1n, maxCount: 2 })).toEqual([3n, 4n]);
    await store.client.appendToStream(stream, fact(5));
    expect(await revisions(stream)).toEqual([4n, 5n]);
  });

  it('$tb (truncateBefore): reads skip the revisions before it', async () => {
    const stream = await write(5);
    await store.client.setStreamMetadata(stream, { truncateBefore: 3 });
    expect(await revisions(stream)).toEqual([3n, 4n]);
    expect(await revisions(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 10 })).toEqual([4n, 3n]);
    expect(await revisions(stream, { direction: BACKWARDS, fromRevision: 1n })).toEqual([]);
  });

  it('$tb past the last revision: the stream reads as empty, not as missing', async () => {
    const stream = await write(2);
    await store.client.setStreamMetadata(stream, { truncateBefore: 10 });
    expect(await revisions(stream)).toEqual([]);
  });

  it('$maxAge: events older than it disappear from reads, newer ones stay', async () => {
    const stream = await write(2);
    await store.client.setStreamMetadata(stream, { maxAge: 1 });
    // maxAge counts whole seconds of age; wait (bounded) until the first events have aged out.
    const deadline = Date.now() + 5_000;
    let visible = await revisions(stream);
    while (visible.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      visible = await revisions(stream);
    }
    expect(visible).toEqual([]);
    expect(await revisions(stream, { direction: BACKWARDS, fromRevision: END })).toEqual([]);
    await store.client.appendToStream(stream, fact(2));
    expect(await revisions(stream)).toEqual([2n]);
    expect(await revisions(stream, { direction: BACKWARDS, fromRevision: END })).toEqual([2n]);
  });

  it('the latest metadata wins: clearing $maxCount shows every event again', async () => {
    const stream = await write(4);
    await store.client.setStreamMetadata(stream, { maxCount: 1 });
    expect(await revisions(stream)).toEqual([3n]);
    await store.client.setStreamMetadata(stream, {});
    expect(await revisions(stream)).toEqual([0n, 1n, 2n, 3n]);
  });

  it('metadata hides events from stream reads, not from $all', async () => {
    const stream = await write(4);
    await store.client.setStreamMetadata(stream, { maxCount: 1, truncateBefore: 3 });
    expect(await revisions(stream)).toEqual([3n]);
    expect(await inAll(stream)).toBe(4);
  });
});
