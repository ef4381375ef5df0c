/**
 * Subscriptions to `$all` (esdb-wire.md 9): catch-up then live, server-side
 * filters on stream name and event type (prefix and regex), checkpoints,
 * caught-up, and the client's system-event filter. `$all` is shared, so every
 * case filters on names unique to this run.
 */
import {
  BACKWARDS,
  END,
  START,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type EventData,
  type Filter,
  type Position,
  type ReadPosition,
} from '@eventstore/db-client';
import { uniquePrefix, uniqueStream } from '../support/names';
import { collect, comparePositions, isStrictlyIncreasing } from '../support/outcomes';
import { SubscriptionRecorder, keepWritingAcrossCatchUp } from '../support/subscription-recorder';
import { useEmbeddedStore, useStore, type StoreUnderTest } from '../support/store-under-test';

const event = (type: string, n = 0) => jsonEvent({ type, data: { n } });
const many = (type: string, count: number, from = 0) => Array.from({ length: count }, (_, i) => event(type, from + i));

function subscriptions(store: StoreUnderTest) {
  const recorders: SubscriptionRecorder[] = [];
  afterEach(async () => {
    await Promise.all(recorders.splice(0).map((recorder) => recorder.stop()));
  });
  return (fromPosition: ReadPosition, filter?: (recorder: SubscriptionRecorder) => Filter) => {
    const recorder = new SubscriptionRecorder();
    recorders.push(recorder);
    recorder.attach(store.client.subscribeToAll({ fromPosition, filter: filter?.(recorder) }));
    return recorder;
  };
}

/** Position of the newest event in `$all`: a start point after which only newer events come. */
async function headPosition(store: StoreUnderTest): Promise<Position> {
  const [newest] = await collect(store.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }));
  return newest.event!.position;
}

describe('subscriptions to $all', () => {
  const store = useStore();
  const subscribe = subscriptions(store);

  it('catch up from the start, say caught up, then go live, in position order', async () => {
    const prefix = uniquePrefix('cat');
    await store.client.appendToStream(`${prefix}_a`, many('Fact', 3));
    await store.client.appendToStream(`${prefix}_b`, many('Fact', 2));
    const recorder = subscribe(START, () => streamNameFilter({ prefixes: [prefix] }));
    await recorder.until((r) => r.caughtUpAfter.length > 0 && r.events.length >= 5, 'caught up', 10_000);
    expect(recorder.confirmed).toBe(true);
    expect(recorder.caughtUpAfter[0]).toBe(5);

    await store.client.appendToStream(`${prefix}_a`, many('Fact', 2, 3));
    await recorder.until((r) => r.events.length >= 7, 'live events');
    expect(recorder.recorded().map((e) => [e.streamId, e.revision])).toEqual([
      [`${prefix}_a`, 0n],
      [`${prefix}_a`, 1n],
      [`${prefix}_a`, 2n],
      [`${prefix}_b`, 0n],
      [`${prefix}_b`, 1n],
      [`${prefix}_a`, 3n],
      [`${prefix}_a`, 4n],
    ]);
    expect(isStrictlyIncreasing(recorder.events.map((resolved) => resolved.event!.position!))).toBe(true);
  });

  it('no gap and no duplicate when events keep arriving during catch-up', async () => {
    const prefix = uniquePrefix('gap');
    const streams = [0, 1, 2, 3].map((i) => `${prefix}_${i}`);
    const from = await headPosition(store);
    for (const stream of streams) await store.client.appendToStream(stream, many('Fact', 50));
    const recorder = subscribe(from, () => streamNameFilter({ prefixes: [prefix] }));
    // From another connection, one append after the other, until well after the switch to live.
    const writer = store.newClient();
    const batches = await keepWritingAcrossCatchUp(recorder, (i) => writer.appendToStream(streams[i % 4], many('Fact', 5)));
    const total = 200 + batches * 5;
    await recorder.until((r) => r.events.length >= total, `all ${total} events`, 10_000);
    expect(recorder.events).toHaveLength(total);
    streams.forEach((stream, s) => {
      const perStream = 50 + 5 * Math.ceil((batches - s) / 4);
      expect(recorder.revisionsOf(stream)).toEqual(Array.from({ length: perStream }, (_, i) => BigInt(i)));
    });
    expect(isStrictlyIncreasing(recorder.events.map((resolved) => resolved.event!.position!))).toBe(true);
  });

  it('from a position: delivery starts after it (exclusive)', async () => {
    const prefix = uniquePrefix('pos');
    await store.client.appendToStream(`${prefix}_s`, many('Fact', 4));
    const newest = await collect(store.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 50 }));
    const second = newest.find((resolved) => resolved.event?.streamId === `${prefix}_s` && resolved.event.revision === 1n)!;
    const recorder = subscribe(second.event!.position, () => streamNameFilter({ prefixes: [prefix] }));
    await recorder.until((r) => r.caughtUpAfter.length > 0 && r.events.length >= 2, 'caught up');
    expect(recorder.revisionsOf()).toEqual([2n, 3n]);
  });

  it('from the end: only events written after the subscription', async () => {
    const prefix = uniquePrefix('end');
    await store.client.appendToStream(`${prefix}_s`, many('Fact', 3));
    const recorder = subscribe(END, () => streamNameFilter({ prefixes: [prefix] }));
    await recorder.until((r) => r.confirmed, 'confirmation');
    await store.client.appendToStream(`${prefix}_s`, event('Fact'));
    await recorder.until((r) => r.events.length >= 1, 'the live event');
    expect(recorder.revisionsOf()).toEqual([3n]);
  });

  describe('server-side filters', () => {
    it('stream name by prefix: only streams starting with one of the prefixes', async () => {
      const prefix = uniquePrefix('sp');
      const from = await headPosition(store);
      for (const name of ['story_1', 'story_2', 'desk_1', 'other']) await store.client.appendToStream(`${prefix}_${name}`, event('Fact'));
      const recorder = subscribe(from, () => streamNameFilter({ prefixes: [`${prefix}_story`, `${prefix}_desk`] }));
      await recorder.until((r) => r.events.length >= 3, 'three streams');
      await store.client.appendToStream(`${prefix}_other`, event('Fact'));
      await store.client.appendToStream(`${prefix}_story_3`, event('Fact'));
      await recorder.until((r) => r.events.length >= 4, 'the live match');
      expect(recorder.recorded().map((e) => e.streamId)).toEqual(['story_1', 'story_2', 'desk_1', 'story_3'].map((n) => `${prefix}_${n}`));
    });

    it('stream name by regex: only streams the expression matches', async () => {
      const prefix = uniquePrefix('sr');
      const from = await headPosition(store);
      for (const name of ['story_1', 'story_22', 'storyline', 'desk_1']) await store.client.appendToStream(`${prefix}_${name}`, event('Fact'));
      const recorder = subscribe(from, () => streamNameFilter({ regex: `^${prefix}_story_\\d+$` }));
      await recorder.until((r) => r.events.length >= 2, 'two streams');
      await store.client.appendToStream(`${prefix}_storyline`, event('Fact'));
      await store.client.appendToStream(`${prefix}_story_3`, event('Fact'));
      await recorder.until((r) => r.events.length >= 3, 'the live match');
      expect(recorder.recorded().map((e) => e.streamId)).toEqual(['story_1', 'story_22', 'story_3'].map((n) => `${prefix}_${n}`));
    });

    it('a regex is searched anywhere in the name, not matched against the whole name', async () => {
      const prefix = uniquePrefix('sx');
      const from = await headPosition(store);
      for (const name of [`${prefix}_drop`, `desk_${prefix}_keep`, `${prefix}_keep_2`]) await store.client.appendToStream(name, event('Fact'));
      const recorder = subscribe(from, () => streamNameFilter({ regex: `${prefix}_keep` }));
      await recorder.until((r) => r.events.length >= 2, 'two streams');
      expect(recorder.recorded().map((e) => e.streamId)).toEqual([`desk_${prefix}_keep`, `${prefix}_keep_2`]);
    });

    it('event type by prefix: only types starting with one of the prefixes', async () => {
      const type = uniquePrefix('T');
      const stream = uniqueStream('types');
      const from = await headPosition(store);
      await store.client.appendToStream(stream, [event(`${type}Denied`), event(`${type}Cited`), event(`${type}Confirmed`), event('Other')]);
      const recorder = subscribe(from, () => eventTypeFilter({ prefixes: [`${type}Denied`, `${type}Confirmed`] }));
      await recorder.until((r) => r.events.length >= 2, 'two events');
      await store.client.appendToStream(stream, [event(`${type}Cited`), event(`${type}DeniedAgain`)]);
      await recorder.until((r) => r.events.length >= 3, 'the live match');
      expect(recorder.recorded().map((e) => e.type)).toEqual([`${type}Denied`, `${type}Confirmed`, `${type}DeniedAgain`]);
    });

    it('event type by regex: only types the expression matches', async () => {
      const type = uniquePrefix('T');
      const stream = uniqueStream('types');
      const from = await headPosition(store);
      await store.client.appendToStream(stream, [event(`${type}Denied`), event(`${type}Cited`), event(`${type}Confirmed`), event(`${type}DeniedAgain`)]);
      const recorder = subscribe(from, () => eventTypeFilter({ regex: `^${type}(Denied|Confirmed)$` }));
      await recorder.until((r) => r.events.length >= 2, 'two events');
      await store.client.appendToStream(stream, [event(`${type}Cited`), event(`${type}Confirmed`)]);
      await recorder.until((r) => r.events.length >= 3, 'the live match');
      expect(recorder.recorded().map((e) => e.type)).toEqual([`${type}Denied`, `${type}Confirmed`, `${type}Confirmed`]);
    });

    it("the client's excludeSystemEvents() removes every $-typed event, system ones from start-up included", async () => {
      const stream = uniqueStream('visible');
      await store.client.setStreamMetadata(stream, { maxCount: 10 });
      await store.client.appendToStream(stream, event('Fact'));
      const unfiltered = subscribe(START);
      const filtered = subscribe(START, () => excludeSystemEvents());
      const sawOurs = (r: SubscriptionRecorder) => r.recorded(stream).length >= 1;
      await unfiltered.until(sawOurs, 'our event, unfiltered', 10_000);
      await filtered.until(sawOurs, 'our event, filtered', 10_000);

      const unfilteredTypes = unfiltered.recorded().map((e) => e.type);
      expect(unfilteredTypes.filter((type) => type.startsWith('$')).length).toBeGreaterThan(0);
      expect(unfiltered.recorded(`$$${stream}`).map((e) => e.type)).toEqual(['$metadata']);
      expect(filtered.recorded().filter((e) => e.type.startsWith('$'))).toEqual([]);
      expect(filtered.recorded(stream).map((e) => e.type)).toEqual(['Fact']);
    });
  });

  describe('checkpoints', () => {
    it('arrive while scanning non-matching events, in catch-up and live, at non-decreasing positions', async () => {
      const type = uniquePrefix('C');
      const stream = uniqueStream('checkpoints');
      const from = await headPosition(store);
      await store.client.appendToStream(stream, [...many(`${type}Other`, 15), event(`${type}Match`), ...many(`${type}Other`, 15)]);
      const recorder = subscribe(from, (r) =>
        eventTypeFilter({ prefixes: [`${type}Match`], maxSearchWindow: 4, checkpointInterval: 2, checkpointReached: r.checkpointReached }),
      );
      await recorder.until((r) => r.events.length >= 1 && r.checkpoints.length >= 1, 'the match and a checkpoint', 10_000);

      const caughtUpTo = await headPosition(store);
      await store.client.appendToStream(stream, many(`${type}Other`, 20));
      await recorder.until(
        (r) => r.checkpoints.some((position) => comparePositions(position, caughtUpTo) > 0),
        'a checkpoint past the catch-up, from live events',
        10_000,
      );
      expect(recorder.recorded().map((e) => e.type)).toEqual([`${type}Match`]);
      expect(recorder.checkpoints.every((p, i) => i === 0 || comparePositions(recorder.checkpoints[i - 1], p) <= 0)).toBe(true);
      expect(recorder.checkpoints.every((p) => comparePositions(p, from) >= 0)).toBe(true);
    });

    it('resuming from a checkpoint delivers the matching events after it, none lost, none repeated', async () => {
      const type = uniquePrefix('R');
      const stream = uniqueStream('resume');
      const from = await headPosition(store);
      const written: EventData[] = [];
      for (let i = 0; i < 40; i += 1) written.push(event(i % 10 === 9 ? `${type}Match` : `${type}Other`, i));
      await store.client.appendToStream(stream, written);
      const first = subscribe(from, (r) =>
        eventTypeFilter({ prefixes: [`${type}Match`], maxSearchWindow: 2, checkpointInterval: 2, checkpointReached: r.checkpointReached }),
      );
      await first.until((r) => r.events.length >= 4 && r.checkpoints.length >= 1, 'matches and a checkpoint', 10_000);
      const checkpoint = first.checkpoints[0];
      const deliveredBefore = first.recorded().filter((e) => comparePositions(e.position!, checkpoint) <= 0).length;

      const resumed = subscribe(checkpoint, () => eventTypeFilter({ prefixes: [`${type}Match`] }));
      await resumed.until((r) => r.events.length >= 4 - deliveredBefore && r.caughtUpAfter.length > 0, 'the rest', 10_000);
      expect([...first.recorded().slice(0, deliveredBefore), ...resumed.recorded()].map((e) => e.data)).toEqual([{ n: 9 }, { n: 19 }, { n: 29 }, { n: 39 }]);
    });
  });
});

describe('embedded only: checkpoint cadence', () => {
  // esdb-wire.md 9: a checkpoint every multiplier x window considered events, at the last one considered.
  // A real node's cadence in catch-up differs in detail; with nothing else writing, ours is exact.
  const store = useEmbeddedStore();
  const subscribe = subscriptions(store);

  it('every checkpointInterval x maxSearchWindow events scanned, at the position of the last one', async () => {
    const type = uniquePrefix('E');
    const stream = uniqueStream('cadence');
    const from = await headPosition(store);
    await store.client.appendToStream(stream, many(`${type}Other`, 20));
    const recorder = subscribe(from, (r) =>
      eventTypeFilter({ prefixes: [`${type}Match`], maxSearchWindow: 3, checkpointInterval: 2, checkpointReached: r.checkpointReached }),
    );
    await recorder.until((r) => r.caughtUpAfter.length > 0 && r.checkpoints.length >= 3, 'three checkpoints in catch-up');
    await store.client.appendToStream(stream, many(`${type}Other`, 10));
    await recorder.until((r) => r.checkpoints.length >= 5, 'two more checkpoints live');

    const scanned = (await collect(store.client.readAll({ fromPosition: from, maxCount: 100 })))
      .map((resolved) => resolved.event!.position)
      .filter((position) => comparePositions(position, from) > 0);
    expect(recorder.checkpoints).toEqual([scanned[5], scanned[11], scanned[17], scanned[23], scanned[29]]);
  });

  it('without maxSearchWindow the window is the server default of 32', async () => {
    const type = uniquePrefix('D');
    const stream = uniqueStream('cadence');
    const from = await headPosition(store);
    await store.client.appendToStream(stream, many(`${type}Other`, 70));
    const recorder = subscribe(from, (r) => eventTypeFilter({ prefixes: [`${type}Match`], checkpointReached: r.checkpointReached }));
    await recorder.until((r) => r.caughtUpAfter.length > 0 && r.checkpoints.length >= 2, 'two checkpoints');

    const scanned = (await collect(store.client.readAll({ fromPosition: from, maxCount: 100 })))
      .map((resolved) => resolved.event!.position)
      .filter((position) => comparePositions(position, from) > 0);
    expect(recorder.checkpoints).toEqual([scanned[31], scanned[63]]);
  });
});

describe('embedded only: a subscriber that stops reading', () => {
  // A real node drops a consumer that falls too far behind (ABORTED); the embedded store holds it back instead.
  const store = useEmbeddedStore();
  const subscribe = subscriptions(store);

  it('gets every event, in order, once it reads again', async () => {
    const prefix = uniquePrefix('slow');
    const recorder = subscribe(END, () => streamNameFilter({ prefixes: [prefix] }));
    await recorder.until((r) => r.confirmed, 'confirmation');
    recorder.pause();
    for (let batch = 0; batch < 10; batch += 1) {
      await store.client.appendToStream(`${prefix}_s`, many('Fact', 400, batch * 400));
    }
    recorder.resume();
    await recorder.until((r) => r.events.length >= 4000, 'all 4000 events', 20_000);
    expect(recorder.revisionsOf()).toEqual(Array.from({ length: 4000 }, (_, i) => BigInt(i)));
  });
});
