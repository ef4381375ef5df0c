/**
 * Subscriptions to one stream (esdb-wire.md 9): catch-up, caught-up, live,
 * with no gap and no duplicate across the switch. Every wait is on delivered
 * events, bounded by a timeout.
 */
import { END, NO_STREAM, START, StreamDeletedError, jsonEvent, type ReadRevision } from '@eventstore/db-client';
import { uniqueStream } from '../support/names';
import { SubscriptionRecorder, keepWritingAcrossCatchUp } from '../support/subscription-recorder';
import { useStore } from '../support/store-under-test';

const fact = (n: number) => jsonEvent({ type: 'FactRecorded', data: { n } });
const facts = (count: number, from = 0) => Array.from({ length: count }, (_, i) => fact(from + i));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => BigInt(from + i));

describe('subscriptions to a stream', () => {
  const store = useStore();
  const recorders: SubscriptionRecorder[] = [];
  const subscribe = (stream: string, fromRevision: ReadRevision = START) => {
    const recorder = new SubscriptionRecorder();
    recorders.push(recorder);
    recorder.attach(store.client.subscribeToStream(stream, { fromRevision }));
    return recorder;
  };
  afterEach(async () => {
    await Promise.all(recorders.splice(0).map((recorder) => recorder.stop()));
  });

  it('confirms, catches up, says caught up after the last stored event, then delivers live events', async () => {
    const stream = uniqueStream('sub');
    await store.client.appendToStream(stream, facts(5), { expectedRevision: NO_STREAM });
    const recorder = subscribe(stream);
    await recorder.until((r) => r.caughtUpAfter.length > 0, 'caught up');
    expect(recorder.confirmed).toBe(true);
    expect(recorder.caughtUpAfter[0]).toBe(5);
    expect(recorder.revisionsOf(stream)).toEqual(range(0, 5));

    await store.client.appendToStream(stream, facts(3, 5), { expectedRevision: 4n });
    await recorder.until((r) => r.events.length >= 8, 'live events');
    expect(recorder.revisionsOf(stream)).toEqual(range(0, 8));
    expect(recorder.recorded(stream).map((event) => event.data)).toEqual(range(0, 8).map((n) => ({ n: Number(n) })));
  });

  it('no gap and no duplicate when events keep arriving during catch-up', async () => {
    const stream = uniqueStream('sub');
    for (let batch = 0; batch < 4; batch += 1) {
      await store.client.appendToStream(stream, facts(50, batch * 50));
    }
    const recorder = subscribe(stream);
    // From another connection, one append after the other, until well after the switch to live.
    const writer = store.newClient();
    const batches = await keepWritingAcrossCatchUp(recorder, (batch) => writer.appendToStream(stream, facts(5, 200 + batch * 5)));
    const total = 200 + batches * 5;
    await recorder.until((r) => r.events.length >= total, `all ${total} events`, 10_000);
    expect(recorder.revisionsOf(stream)).toEqual(range(0, total));
    expect(new Set(recorder.recorded(stream).map((event) => event.id)).size).toBe(total);
  });

  it('from a revision: delivery starts after it (exclusive)', async () => {
    const stream = uniqueStream('sub');
    await store.client.appendToStream(stream, facts(5), { expectedRevision: NO_STREAM });
    const recorder = subscribe(stream, 2n);
    await recorder.until((r) => r.caughtUpAfter.length > 0, 'caught up');
    expect(recorder.revisionsOf(stream)).toEqual([3n, 4n]);
  });

  it('from the end: only events written after the subscription', async () => {
    const stream = uniqueStream('sub');
    await store.client.appendToStream(stream, facts(3), { expectedRevision: NO_STREAM });
    const recorder = subscribe(stream, END);
    await recorder.until((r) => r.confirmed, 'confirmation');
    await store.client.appendToStream(stream, fact(3), { expectedRevision: 2n });
    await recorder.until((r) => r.events.length >= 1, 'the live event');
    expect(recorder.revisionsOf(stream)).toEqual([3n]);
  });

  it('to a stream that does not exist yet: no error, its first events arrive when written', async () => {
    const stream = uniqueStream('sub');
    const recorder = subscribe(stream);
    await recorder.until((r) => r.confirmed, 'confirmation');
    await store.client.appendToStream(stream, facts(2), { expectedRevision: NO_STREAM });
    await recorder.until((r) => r.events.length >= 2, 'the first events');
    expect(recorder.revisionsOf(stream)).toEqual([0n, 1n]);
    expect(recorder.error).toBeUndefined();
  });

  it('catch-up honours the stream metadata as reads do ($maxCount, $tb)', async () => {
    const stream = uniqueStream('sub');
    await store.client.appendToStream(stream, facts(6), { expectedRevision: NO_STREAM });
    await store.client.setStreamMetadata(stream, { maxCount: 3, truncateBefore: 4 });
    const recorder = subscribe(stream);
    await recorder.until((r) => r.caughtUpAfter.length > 0, 'caught up');
    expect(recorder.revisionsOf(stream)).toEqual([4n, 5n]);
  });

  it('delivers whole events: stream, id, type, data', async () => {
    const stream = uniqueStream('sub');
    const event = jsonEvent({ type: 'ReportPublished', data: { outlet: 'Financial Times', claims: 1 } });
    await store.client.appendToStream(stream, event);
    const recorder = subscribe(stream);
    await recorder.until((r) => r.events.length >= 1, 'the event');
    expect(recorder.recorded(stream)[0]).toMatchObject({ streamId: stream, id: event.id, type: 'ReportPublished', revision: 0n, data: event.data });
  });

  it('several subscribers to one stream each get every event', async () => {
    const stream = uniqueStream('sub');
    const first = subscribe(stream);
    const second = subscribe(stream);
    await Promise.all([first, second].map((recorder) => recorder.until((r) => r.confirmed, 'confirmation')));
    await store.client.appendToStream(stream, facts(4));
    await Promise.all([first, second].map((recorder) => recorder.until((r) => r.events.length >= 4, 'four events')));
    expect(first.revisionsOf(stream)).toEqual(range(0, 4));
    expect(second.revisionsOf(stream)).toEqual(range(0, 4));
  });

  it('after one subscriber leaves, the others keep receiving', async () => {
    const stream = uniqueStream('sub');
    const leaving = subscribe(stream);
    const staying = subscribe(stream);
    await Promise.all([leaving, staying].map((recorder) => recorder.until((r) => r.confirmed, 'confirmation')));
    await leaving.stop();
    await store.client.appendToStream(stream, facts(2));
    await staying.until((r) => r.events.length >= 2, 'events after the other left');
    expect(staying.revisionsOf(stream)).toEqual([0n, 1n]);
  });

  it('to a tombstoned stream: fails with StreamDeletedError', async () => {
    const stream = uniqueStream('sub');
    await store.client.appendToStream(stream, fact(0));
    await store.client.tombstoneStream(stream);
    const error = await subscribe(stream).failure('subscription error');
    expect(error).toBeInstanceOf(StreamDeletedError);
  });

  it('a live subscription ends with StreamDeletedError when its stream is tombstoned', async () => {
    const stream = uniqueStream('sub');
    await store.client.appendToStream(stream, fact(0));
    const recorder = subscribe(stream);
    await recorder.until((r) => r.events.length >= 1 && r.caughtUpAfter.length > 0, 'caught up');
    await store.client.tombstoneStream(stream);
    expect(await recorder.failure('subscription error after the tombstone')).toBeInstanceOf(StreamDeletedError);
  });
});
