/**
 * Reads of a stream and of `$all` (esdb-wire.md 6): directions, start points,
 * maxCount, not-found. `$all` is shared with whatever else the server holds,
 * so cases look only at this run's events and at ordering, never at totals.
 */
import {
  BACKWARDS,
  END,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  binaryEvent,
  jsonEvent,
  type AllStreamRecordedEvent,
  type Position,
} from '@eventstore/db-client';
import { RUN, uniqueStream } from '../support/names';
import { collect, comparePositions, isStrictlyIncreasing, rejectionOf } from '../support/outcomes';
import { useEmbeddedStore, useStore, type StoreUnderTest } from '../support/store-under-test';
import { SubscriptionRecorder } from '../support/subscription-recorder';

const fact = (n: number) => jsonEvent({ type: 'FactRecorded', data: { n } });

/** Writes `count` events to a new stream in one append, so they are contiguous in `$all`. */
async function writeStream(store: StoreUnderTest, count: number): Promise<string> {
  const stream = uniqueStream('read');
  await store.client.appendToStream(
    stream,
    Array.from({ length: count }, (_, n) => fact(n)),
    { expectedRevision: NO_STREAM },
  );
  return stream;
}

/** This stream's events as `$all` holds them, oldest first, found among the newest events of the log. */
async function inAll(store: StoreUnderTest, stream: string): Promise<AllStreamRecordedEvent[]> {
  const newest = await collect(store.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 500 }));
  return newest.flatMap((resolved) => (resolved.event?.streamId === stream ? [resolved.event] : [])).reverse();
}

describe('reads', () => {
  const store = useStore();
  const revisionsRead = async (stream: string, options: Parameters<StoreUnderTest['client']['readStream']>[1]) =>
    (await collect(store.client.readStream(stream, options))).map((resolved) => resolved.event!.revision);

  describe('of a stream', () => {
    let stream: string;
    beforeAll(async () => {
      stream = await writeStream(store, 10);
    });

    it('forwards from the start: every event in revision order', async () => {
      expect(await revisionsRead(stream, {})).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n]);
    });

    it('backwards from the end: newest first', async () => {
      expect(await revisionsRead(stream, { direction: BACKWARDS, fromRevision: END })).toEqual([9n, 8n, 7n, 6n, 5n, 4n, 3n, 2n, 1n, 0n]);
    });

    it('backwards from the start (the client default): revision 0 only', async () => {
      expect(await revisionsRead(stream, { direction: BACKWARDS })).toEqual([0n]);
    });

    it('forwards from a revision, inclusive, up to maxCount', async () => {
      expect(await revisionsRead(stream, { fromRevision: 4n, maxCount: 3 })).toEqual([4n, 5n, 6n]);
    });

    it('backwards from a revision, inclusive, up to maxCount', async () => {
      expect(await revisionsRead(stream, { direction: BACKWARDS, fromRevision: 4n, maxCount: 3 })).toEqual([4n, 3n, 2n]);
    });

    it('forwards from the end, or from past the last revision: no events, and no error', async () => {
      expect(await revisionsRead(stream, { direction: FORWARDS, fromRevision: END })).toEqual([]);
      expect(await revisionsRead(stream, { fromRevision: 50n })).toEqual([]);
    });

    it('maxCount larger than the stream returns the whole stream; maxCount 1 returns one event', async () => {
      expect(await revisionsRead(stream, { maxCount: 1000 })).toHaveLength(10);
      expect(await revisionsRead(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })).toEqual([9n]);
    });

    it('a long stream reads completely and in order, both ways (no event lost between pages)', async () => {
      const long = uniqueStream('long');
      // Long enough to cross a few read pages of any reasonable size (the embedded engine pages by 1,000).
      for (let batch = 0; batch < 3; batch += 1) {
        await store.client.appendToStream(
          long,
          Array.from({ length: 700 }, (_, n) => fact(batch * 700 + n)),
        );
      }
      const all = Array.from({ length: 2100 }, (_, n) => BigInt(n));
      expect(await revisionsRead(long, {})).toEqual(all);
      expect(await revisionsRead(long, { direction: BACKWARDS, fromRevision: END })).toEqual([...all].reverse());
      // Other writers of a shared server may land between the five appends: look at this stream's events only.
      const fromAll = await collect(store.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 3000 }));
      const ours = fromAll.flatMap((resolved) => (resolved.event?.streamId === long ? [resolved.event.revision] : []));
      expect(ours).toEqual([...all].reverse());
    });

    it('calls that require the leader are served (a single node is the leader)', async () => {
      expect(await revisionsRead(stream, { requiresLeader: true, maxCount: 2 })).toEqual([0n, 1n]);
      const other = uniqueStream('leader');
      await store.client.appendToStream(other, fact(0), { requiresLeader: true });
      expect(await revisionsRead(other, {})).toEqual([0n]);
    });

    it('a stream never written fails with StreamNotFoundError naming it', async () => {
      const missing = uniqueStream('missing');
      const error = await rejectionOf(collect(store.client.readStream(missing)));
      expect(error).toBeInstanceOf(StreamNotFoundError);
      expect(error).toMatchObject({ streamName: missing });
    });
  });

  describe('of $all', () => {
    let stream: string;
    let ours: AllStreamRecordedEvent[];
    beforeAll(async () => {
      stream = await writeStream(store, 6);
      ours = await inAll(store, stream);
    });

    it('holds every appended event, in append order, at strictly increasing positions', () => {
      expect(ours.map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
      expect(isStrictlyIncreasing(ours.map((event) => event.position))).toBe(true);
    });

    it('forwards from a position: starts at the event at that position (inclusive)', async () => {
      const read = await collect(store.client.readAll({ fromPosition: ours[2].position, maxCount: 3 }));
      expect(read.map((resolved) => [resolved.event!.streamId, resolved.event!.revision])).toEqual([
        [stream, 2n],
        [stream, 3n],
        [stream, 4n],
      ]);
    });

    it('backwards from a position: starts before that position (exclusive)', async () => {
      const read = await collect(store.client.readAll({ direction: BACKWARDS, fromPosition: ours[3].position, maxCount: 2 }));
      expect(read.map((resolved) => [resolved.event!.streamId, resolved.event!.revision])).toEqual([
        [stream, 2n],
        [stream, 1n],
      ]);
    });

    it('forwards from the start: ordered by commit position, at most maxCount events', async () => {
      const read = await collect(store.client.readAll({ fromPosition: START, maxCount: 25 }));
      expect(read.length).toBeGreaterThan(0);
      expect(read.length).toBeLessThanOrEqual(25);
      expect(isStrictlyIncreasing(read.map((resolved) => resolved.event!.position))).toBe(true);
    });

    it('backwards from the end: newest first, at strictly decreasing positions', async () => {
      const read = await collect(store.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 50 }));
      const positions = read.map((resolved) => resolved.event!.position);
      expect(isStrictlyIncreasing([...positions].reverse())).toBe(true);
      expect(comparePositions(positions[0], ours[5].position)).toBeGreaterThanOrEqual(0);
    });

    it('forwards from the end, and backwards from the start: nothing', async () => {
      expect(await collect(store.client.readAll({ direction: FORWARDS, fromPosition: END, maxCount: 10 }))).toEqual([]);
      expect(await collect(store.client.readAll({ direction: BACKWARDS, fromPosition: START, maxCount: 10 }))).toEqual([]);
    });

    it('carries the stream metadata events ($metadata in $$<stream>) among the others', async () => {
      const described = uniqueStream('described');
      await store.client.setStreamMetadata(described, { maxCount: 50 });
      const newest = await collect(store.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 500 }));
      expect(newest.map((resolved) => resolved.event).find((event) => event?.streamId === `$$${described}`)).toMatchObject({
        type: '$metadata',
        revision: 0n,
        data: { $maxCount: 50 },
      });
    });

    it('holds system events ($-prefixed types) that the node wrote itself', async () => {
      const first = await collect(store.client.readAll({ fromPosition: START, maxCount: 1000 }));
      const system = first.map((resolved) => resolved.event!).filter((event) => event.type.startsWith('$') && !event.streamId.includes(RUN));
      expect(system.length).toBeGreaterThan(0);
    });
  });
});

describe('link events ($>)', () => {
  const store = useStore();
  const linkTo = (revision: bigint, stream: string) => binaryEvent({ type: '$>', data: Buffer.from(`${revision}@${stream}`, 'utf8') });

  it('are read as they are without resolveLinkTos, and as their target with it', async () => {
    const target = uniqueStream('target');
    const links = uniqueStream('links');
    await store.client.appendToStream(target, [fact(0), fact(1)], { expectedRevision: NO_STREAM });
    await store.client.appendToStream(links, [linkTo(1n, target), linkTo(0n, target)], { expectedRevision: NO_STREAM });

    const plain = await collect(store.client.readStream(links));
    expect(plain.map((resolved) => [resolved.event!.streamId, resolved.event!.type, resolved.link])).toEqual([
      [links, '$>', undefined],
      [links, '$>', undefined],
    ]);

    const resolved = await collect(store.client.readStream(links, { resolveLinkTos: true }));
    expect(resolved.map((r) => [r.event!.streamId, r.event!.revision, r.event!.data])).toEqual([
      [target, 1n, { n: 1 }],
      [target, 0n, { n: 0 }],
    ]);
    expect(resolved.map((r) => [r.link!.streamId, r.link!.revision, r.link!.type])).toEqual([
      [links, 0n, '$>'],
      [links, 1n, '$>'],
    ]);
  });

  it('are resolved in subscriptions that ask for it', async () => {
    const target = uniqueStream('target');
    const links = uniqueStream('links');
    await store.client.appendToStream(target, fact(7), { expectedRevision: NO_STREAM });
    await store.client.appendToStream(links, linkTo(0n, target), { expectedRevision: NO_STREAM });
    const recorder = new SubscriptionRecorder();
    recorder.attach(store.client.subscribeToStream(links, { resolveLinkTos: true }));
    try {
      await recorder.until((r) => r.events.length >= 1, 'the link');
      expect(recorder.events[0].event).toMatchObject({ streamId: target, revision: 0n, data: { n: 7 } });
      expect(recorder.events[0].link).toMatchObject({ streamId: links, revision: 0n, type: '$>' });
    } finally {
      await recorder.stop();
    }
  });
});

describe('embedded only: positions on stream reads', () => {
  // Real servers may send no position, or a sentinel, on stream reads (esdb-wire.md 3.2, 12.2); ours always fills them.
  const store = useEmbeddedStore();

  it('each event read from a stream carries the position it has in $all', async () => {
    const stream = await writeStream(store, 3);
    const fromStream = (await collect(store.client.readStream(stream))).map((resolved) => resolved.event!.position);
    const fromAll: Position[] = (await inAll(store, stream)).map((event) => event.position);
    expect(fromAll).toHaveLength(3);
    expect(fromStream).toEqual(fromAll);
  });
});
