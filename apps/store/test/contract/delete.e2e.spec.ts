/**
 * Soft delete and tombstone (esdb-wire.md 7), with appends after them on both
 * append paths.
 */
import {
  ANY,
  BACKWARDS,
  END,
  NO_STREAM,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type AppendExpectedRevision,
} from '@eventstore/db-client';
import { uniqueStream } from '../support/names';
import { collect, rejectionOf, settlesWithin } from '../support/outcomes';
import { describeEachAppendPath } from '../support/store-under-test';

const fact = (n: number) => jsonEvent({ type: 'FactRecorded', data: { n } });
const facts = (count: number, from = 0) => Array.from({ length: count }, (_, i) => fact(from + i));

describeEachAppendPath('deletes and tombstones', (store) => {
  const append = (stream: string, count: number, expectedRevision: AppendExpectedRevision = ANY, from = 0) =>
    settlesWithin(store.client.appendToStream(stream, facts(count, from), { expectedRevision }), `append to ${stream}`);
  const read = async (stream: string) => (await collect(store.client.readStream(stream))).map((resolved) => resolved.event!);
  const expectStreamDeleted = async (what: Promise<unknown>, stream: string) => {
    const error = await rejectionOf(settlesWithin(what, `operation on tombstoned ${stream}`));
    expect(error).toBeInstanceOf(StreamDeletedError);
    expect(error).toMatchObject({ streamName: stream });
  };

  describe('soft delete', () => {
    it('makes reads fail with StreamNotFoundError, and answers a position', async () => {
      const stream = uniqueStream('soft');
      await append(stream, 3, NO_STREAM);
      const result = await settlesWithin(store.client.deleteStream(stream, { expectedRevision: 2n }), 'delete');
      expect(result.position).toBeDefined();
      const error = await rejectionOf(read(stream));
      expect(error).toBeInstanceOf(StreamNotFoundError);
      expect(error).toMatchObject({ streamName: stream });
    });

    it('checks the expected revision against the stream: a stale one fails with WrongExpectedVersionError', async () => {
      const stream = uniqueStream('soft');
      await append(stream, 3, NO_STREAM);
      const error = await rejectionOf(settlesWithin(store.client.deleteStream(stream, { expectedRevision: 1n }), 'delete'));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      // Built from trailers, so both versions are numbers (esdb-wire.md 4.1).
      expect(error).toMatchObject({ streamName: stream, expectedVersion: 1n, actualVersion: 2n });
      expect(await read(stream)).toHaveLength(3);
    });

    it('of a stream that never existed fails with WrongExpectedVersionError', async () => {
      const stream = uniqueStream('never');
      const error = await rejectionOf(settlesWithin(store.client.deleteStream(stream), 'delete'));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamName: stream });
    });

    it.each([
      ['any', ANY],
      ['no_stream', NO_STREAM],
      ['the last revision', 2n],
    ] as [string, AppendExpectedRevision][])(
      'a later append with %s recreates the stream; revisions continue and old events stay hidden',
      async (_label, expectedRevision) => {
        const stream = uniqueStream('recreated');
        await append(stream, 3, NO_STREAM);
        await settlesWithin(store.client.deleteStream(stream), 'delete');
        expect(await append(stream, 2, expectedRevision, 10)).toMatchObject({ nextExpectedRevision: 4n });
        expect((await read(stream)).map((event) => [event.revision, event.data])).toEqual([
          [3n, { n: 10 }],
          [4n, { n: 11 }],
        ]);
      },
    );

    it('after the stream is recreated, no_stream fails again', async () => {
      const stream = uniqueStream('recreated');
      await append(stream, 1, NO_STREAM);
      await settlesWithin(store.client.deleteStream(stream), 'delete');
      await append(stream, 1, NO_STREAM);
      const error = await rejectionOf(append(stream, 1, NO_STREAM));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamName: stream, actualVersion: 1n });
    });

    it('recreating writes metadata that truncates before the first new revision (the delete dropped the other keys)', async () => {
      // A soft delete writes `{"$tb": max}` alone; the recreating append keeps the keys of that latest metadata (esdb-wire.md 7).
      const stream = uniqueStream('recreated');
      await append(stream, 2, NO_STREAM);
      await store.client.setStreamMetadata(stream, { maxCount: 100, desk: 'economy' });
      await settlesWithin(store.client.deleteStream(stream), 'delete');
      await append(stream, 1, ANY);
      const { metadata } = await store.client.getStreamMetadata(stream);
      expect(metadata).toEqual({ truncateBefore: 2 });
    });
  });

  describe('tombstone', () => {
    it('answers a position, and every later read, append, delete or tombstone fails with StreamDeletedError', async () => {
      const stream = uniqueStream('tomb');
      await append(stream, 2, NO_STREAM);
      const result = await settlesWithin(store.client.tombstoneStream(stream, { expectedRevision: 1n }), 'tombstone');
      expect(result.position).toBeDefined();
      await expectStreamDeleted(read(stream), stream);
      await expectStreamDeleted(collect(store.client.readStream(stream, { direction: BACKWARDS, fromRevision: END })), stream);
      await expectStreamDeleted(store.client.appendToStream(stream, fact(9)), stream);
      await expectStreamDeleted(store.client.deleteStream(stream), stream);
      await expectStreamDeleted(store.client.tombstoneStream(stream), stream);
    });

    it('covers the metadata stream too: get and set of its metadata fail with StreamDeletedError', async () => {
      const stream = uniqueStream('tomb');
      await append(stream, 1, NO_STREAM);
      await store.client.setStreamMetadata(stream, { maxCount: 10 });
      await settlesWithin(store.client.tombstoneStream(stream), 'tombstone');
      expect(await rejectionOf(store.client.getStreamMetadata(stream))).toBeInstanceOf(StreamDeletedError);
      expect(await rejectionOf(store.client.setStreamMetadata(stream, { maxCount: 5 }))).toBeInstanceOf(StreamDeletedError);
      expect(await rejectionOf(collect(store.client.readStream(`$$${stream}`)))).toBeInstanceOf(StreamDeletedError);
    });

    it('writes a $streamDeleted event for the stream into $all', async () => {
      const stream = uniqueStream('tomb');
      await append(stream, 1, NO_STREAM);
      await settlesWithin(store.client.tombstoneStream(stream), 'tombstone');
      const newest = await collect(store.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 500 }));
      const types = newest.flatMap((resolved) => (resolved.event?.streamId === stream ? [resolved.event.type] : []));
      expect(types).toEqual(['$streamDeleted', 'FactRecorded']);
    });

    it('with a stale expected revision fails with WrongExpectedVersionError and leaves the stream readable', async () => {
      const stream = uniqueStream('tomb');
      await append(stream, 2, NO_STREAM);
      const error = await rejectionOf(settlesWithin(store.client.tombstoneStream(stream, { expectedRevision: 0n }), 'tombstone'));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamName: stream, expectedVersion: 0n, actualVersion: 1n });
      expect(await read(stream)).toHaveLength(2);
    });

    it('is allowed on a soft-deleted stream, and is final', async () => {
      const stream = uniqueStream('tomb');
      await append(stream, 2, NO_STREAM);
      await settlesWithin(store.client.deleteStream(stream), 'delete');
      await settlesWithin(store.client.tombstoneStream(stream), 'tombstone');
      await expectStreamDeleted(read(stream), stream);
      await expectStreamDeleted(store.client.appendToStream(stream, fact(3)), stream);
    });
  });
});
