/**
 * Appends and optimistic concurrency, on both append paths (BatchAppend and
 * Append): issue 2, item 1, and the client-visible side of esdb-wire.md 11.
 */
import { randomUUID } from 'node:crypto';
import {
  ANY,
  BACKWARDS,
  END,
  NO_STREAM,
  STREAM_EXISTS,
  StreamDeletedError,
  WrongExpectedVersionError,
  binaryEvent,
  jsonEvent,
  type AppendExpectedRevision,
  type EventData,
} from '@eventstore/db-client';
import { uniqueStream } from '../support/names';
import { collect, comparePositions, isStrictlyIncreasing, rejectionOf, settlesWithin } from '../support/outcomes';
import { PersistentSubscriptionsService } from '@eventstore/db-client/generated/persistent_grpc_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { APPEND_PATHS, describeEachAppendPath, useEmbeddedStore } from '../support/store-under-test';

const fact = (n: number) => jsonEvent({ type: 'FactRecorded', data: { n } });
const facts = (count: number, from = 0) => Array.from({ length: count }, (_, i) => fact(from + i));

describeEachAppendPath('append and expected revision', (store) => {
  const append = (stream: string, events: EventData[], expectedRevision: AppendExpectedRevision = ANY) =>
    settlesWithin(store.client.appendToStream(stream, events, { expectedRevision }), `append to ${stream}`);
  const revisions = async (stream: string) => (await collect(store.client.readStream(stream))).map((resolved) => resolved.event?.revision);

  it('the client takes the append path under test (BatchAppend only when the server lists it)', async () => {
    await append(uniqueStream(), [fact(0)]);
    expect(await store.clientUsesBatchAppend()).toBe(store.appendPath === 'batch-append');
  });

  it('numbers revisions from 0, one per event, and reports the last as nextExpectedRevision', async () => {
    const stream = uniqueStream();
    expect(await append(stream, [fact(0)], NO_STREAM)).toMatchObject({ success: true, nextExpectedRevision: 0n });
    expect(await append(stream, facts(3, 1), 0n)).toMatchObject({ success: true, nextExpectedRevision: 3n });
    expect(await revisions(stream)).toEqual([0n, 1n, 2n, 3n]);
  });

  it('no_stream: accepted on a new stream, refused on an existing one with the real fields', async () => {
    const stream = uniqueStream();
    await append(stream, [fact(0)], NO_STREAM);
    const error = await rejectionOf(append(stream, [fact(1)], NO_STREAM));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: stream, expectedVersion: NO_STREAM, actualVersion: 0n });
  });

  it('stream_exists: refused on a missing stream (actual no_stream), accepted on an existing one', async () => {
    const stream = uniqueStream();
    const error = await rejectionOf(append(stream, [fact(0)], STREAM_EXISTS));
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: stream, expectedVersion: STREAM_EXISTS, actualVersion: NO_STREAM });
    await append(stream, [fact(0)], NO_STREAM);
    expect(await append(stream, [fact(1)], STREAM_EXISTS)).toMatchObject({ nextExpectedRevision: 1n });
  });

  it('exact revision: accepted only when it is the current revision', async () => {
    const stream = uniqueStream();
    const onMissing = await rejectionOf(append(stream, [fact(0)], 0n));
    expect(onMissing).toBeInstanceOf(WrongExpectedVersionError);
    expect(onMissing).toMatchObject({ streamName: stream, expectedVersion: 0n, actualVersion: NO_STREAM });

    await append(stream, facts(2), NO_STREAM);
    for (const stale of [0n, 5n]) {
      const error = await rejectionOf(append(stream, [fact(9)], stale));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamName: stream, expectedVersion: stale, actualVersion: 1n });
    }
    expect(await append(stream, [fact(2)], 1n)).toMatchObject({ nextExpectedRevision: 2n });
  });

  it('any: accepted on a missing and on an existing stream', async () => {
    const stream = uniqueStream();
    expect(await append(stream, [fact(0)], ANY)).toMatchObject({ nextExpectedRevision: 0n });
    expect(await append(stream, [fact(1)], ANY)).toMatchObject({ nextExpectedRevision: 1n });
  });

  it('a refused append writes none of its events', async () => {
    const stream = uniqueStream();
    await append(stream, facts(2), NO_STREAM);
    await rejectionOf(append(stream, facts(3, 2), 0n));
    expect(await revisions(stream)).toEqual([0n, 1n]);
  });

  it('a multi-event append lands contiguously in $all, in order, at increasing positions', async () => {
    const stream = uniqueStream();
    const result = await append(stream, facts(5), NO_STREAM);
    // Newest first; other writers may follow our append, never split it.
    const recent = (await collect(store.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 200 }))).reverse();
    const firstIndex = recent.findIndex((resolved) => resolved.event?.streamId === stream);
    expect(firstIndex).toBeGreaterThanOrEqual(0);
    const ours = recent.slice(firstIndex, firstIndex + 5).map((resolved) => resolved.event!);
    expect(ours.map((event) => [event.streamId, event.revision])).toEqual([0n, 1n, 2n, 3n, 4n].map((revision) => [stream, revision]));
    expect(isStrictlyIncreasing(ours.map((event) => event.position))).toBe(true);
    expect(result.position).toBeDefined();
  });

  it('a single-event append answers the position the event has in $all', async () => {
    const stream = uniqueStream();
    const result = await append(stream, [fact(0)], NO_STREAM);
    const [fromAll] = await collect(store.client.readAll({ fromPosition: result.position!, maxCount: 1 }));
    expect(fromAll.event).toMatchObject({ streamId: stream, revision: 0n });
    expect(comparePositions(fromAll.event!.position, result.position!)).toBe(0);
  });

  it('concurrent appends from one client each get their own answer (no mixed-up correlation)', async () => {
    const streams = Array.from({ length: 24 }, () => uniqueStream());
    await Promise.all(streams.map((stream, i) => append(stream, facts((i % 3) + 1), NO_STREAM)));
    const outcomes = await Promise.allSettled(streams.map((stream, i) => append(stream, [fact(100)], i % 2 === 0 ? BigInt(i % 3) : 7n)));
    outcomes.forEach((outcome, i) => {
      if (i % 2 === 0) {
        expect(outcome).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: BigInt(i % 3) + 1n } });
      } else {
        expect(outcome.status).toBe('rejected');
        const error = (outcome as PromiseRejectedResult).reason as unknown;
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamName: streams[i], expectedVersion: 7n, actualVersion: BigInt(i % 3) });
      }
    });
  });

  it("a fresh client's first call can be an append, and the appends after it work too", async () => {
    const client = store.newClient();
    const stream = uniqueStream();
    for (let revision = 0; revision < 3; revision += 1) {
      const result = await settlesWithin(
        client.appendToStream(stream, fact(revision), { expectedRevision: revision === 0 ? NO_STREAM : BigInt(revision - 1) }),
        `append ${revision} from a fresh client`,
      );
      expect(result.nextExpectedRevision).toBe(BigInt(revision));
    }
  });

  it('appends keep settling after refused ones (the append call stays usable)', async () => {
    const client = store.newClient();
    const stream = uniqueStream();
    const tombstoned = uniqueStream();
    await settlesWithin(client.appendToStream(tombstoned, fact(0)), 'first append');
    await settlesWithin(client.tombstoneStream(tombstoned), 'tombstone');
    for (let round = 0; round < 3; round += 1) {
      await rejectionOf(settlesWithin(client.appendToStream(stream, fact(0), { expectedRevision: 41n }), 'refused append'));
      await rejectionOf(settlesWithin(client.appendToStream(tombstoned, fact(1)), 'append to a tombstoned stream'));
    }
    for (let revision = 0; revision < 5; revision += 1) {
      await settlesWithin(client.appendToStream(stream, fact(revision)), `append ${revision} after the refusals`);
    }
    expect(await revisions(stream)).toEqual([0n, 1n, 2n, 3n, 4n]);
  });

  it('an append to a tombstoned stream fails with StreamDeletedError naming the stream, whatever the expectation', async () => {
    const stream = uniqueStream();
    await append(stream, facts(2), NO_STREAM);
    await settlesWithin(store.client.tombstoneStream(stream), 'tombstone');
    for (const expectedRevision of [ANY, NO_STREAM, STREAM_EXISTS, 1n] as AppendExpectedRevision[]) {
      const error = await rejectionOf(append(stream, [fact(2)], expectedRevision));
      expect(error).toBeInstanceOf(StreamDeletedError);
      expect(error).toMatchObject({ streamName: stream });
    }
  });

  it('binary data and binary metadata round-trip byte for byte', async () => {
    const stream = uniqueStream();
    // Every byte value, then sequences that are not valid UTF-8, so any text conversion on the way shows.
    const data = Uint8Array.from([...Array.from({ length: 256 }, (_, i) => i), 0xc3, 0x28, 0xff, 0xfe, 0x00]);
    const metadata = Uint8Array.from([0xff, 0x00, 0x7b, 0x80, 0x22]);
    await append(stream, [binaryEvent({ type: 'BlobStored', data, metadata }), binaryEvent({ type: 'Empty', data: new Uint8Array(0) })], NO_STREAM);
    const [blob, empty] = (await collect(store.client.readStream(stream))).map((resolved) => resolved.event!);
    expect(blob.isJson).toBe(false);
    expect(Buffer.from(blob.data as Uint8Array).equals(Buffer.from(data))).toBe(true);
    expect(Buffer.from(blob.metadata as Uint8Array).equals(Buffer.from(metadata))).toBe(true);
    expect(empty.isJson).toBe(false);
    expect((empty.data as Uint8Array).length).toBe(0);
  });

  it('JSON events keep their id, type, data, metadata and a current creation time', async () => {
    const stream = uniqueStream();
    const id = randomUUID();
    const data = { headline: 'Ford dan Xiaomi membantah — “sama sekali tidak benar”', people: 4, nested: { ok: true, list: [1, 'two', null] } };
    const metadata = { $correlationId: randomUUID(), recordedBy: 'desk@newsroom', recordedAt: '2026-11-21T05:00:00.000Z' };
    const before = Date.now();
    await append(stream, [jsonEvent({ id, type: 'CompanyDenied', data, metadata })], NO_STREAM);
    const [{ event }] = await collect(store.client.readStream(stream));
    expect(event).toMatchObject({ streamId: stream, id, type: 'CompanyDenied', revision: 0n, isJson: true, data, metadata });
    expect(event!.created.getTime()).toBeGreaterThan(before - 60_000);
    expect(event!.created.getTime()).toBeLessThan(Date.now() + 60_000);
  });

  it('stream names with non-ASCII characters work for appends, reads and errors, and the store stays up', async () => {
    const stream = uniqueStream('berita_café_日本_🚀');
    await append(stream, facts(2), NO_STREAM);
    expect((await collect(store.client.readStream(stream))).map((resolved) => resolved.event!.streamId)).toEqual([stream, stream]);

    const wrongVersion = await rejectionOf(append(stream, [fact(2)], NO_STREAM));
    expect(wrongVersion).toBeInstanceOf(WrongExpectedVersionError);
    expect(wrongVersion).toMatchObject({ streamName: stream });

    // Errors carried in trailers need an ASCII stream-name value (esdb-wire.md 4.1, 11).
    expect(await rejectionOf(settlesWithin(store.client.deleteStream(stream, { expectedRevision: 7n }), 'delete'))).toBeInstanceOf(WrongExpectedVersionError);
    await settlesWithin(store.client.tombstoneStream(stream), 'tombstone');
    expect(await rejectionOf(append(stream, [fact(2)]))).toBeInstanceOf(StreamDeletedError);
    expect(await rejectionOf(collect(store.client.readStream(stream)))).toBeInstanceOf(StreamDeletedError);

    const after = uniqueStream();
    expect(await append(after, [fact(0)], NO_STREAM)).toMatchObject({ nextExpectedRevision: 0n });
  });
});

/** What the client learnt from GetSupportedMethods (the getter is protected on the client). */
interface ServerFeaturesProbe {
  readonly capabilities: Promise<{ serverVersion: string; supports(method: unknown, feature?: string): boolean }>;
}

describe.each(APPEND_PATHS)('embedded only: GetSupportedMethods (%s path)', (appendPath) => {
  const store = useEmbeddedStore({}, appendPath);

  it('names a server version and lists exactly the methods the store implements', async () => {
    const features = await (store.client as unknown as ServerFeaturesProbe).capabilities;
    expect(features.serverVersion).not.toBe('unknown');
    for (const method of [StreamsService.read, StreamsService.append, StreamsService.delete, StreamsService.tombstone]) {
      expect(features.supports(method)).toBe(true);
    }
    expect(features.supports(StreamsService.batchAppend)).toBe(appendPath === 'batch-append');
    expect(features.supports(PersistentSubscriptionsService.create)).toBe(false);
  });
});
