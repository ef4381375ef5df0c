// The $all reader against the embedded store through the real client: catch-up, the
// caught-up marker, live events, resuming after a position, checkpoints and drops.
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { SEED_STORY_EVENTS, type StoryEvent } from '@newsroom/domain';
import { type EmbeddedStore, startEmbeddedStore } from '@newsroom/esdb-server';
import { EventStoreAdapter } from './event-store.adapter';
import { type StoryEventsSubscription, type StoryFeedMessage, SubscriptionDroppedError } from './story-events.subscription';

const [report, sources, followUp, fordDenial] = SEED_STORY_EVENTS as [StoryEvent, StoryEvent, StoryEvent, StoryEvent];
const context = { correlationId: 'corr', causationId: 'cause', recordedBy: 'token:reader-spec' };

let store: EmbeddedStore;
let adapter: EventStoreAdapter;
let client: EventStoreDBClient;

beforeEach(async () => {
  store = await startEmbeddedStore({ memory: true, port: 0 });
  adapter = EventStoreAdapter.connect(store.connectionString);
  client = EventStoreDBClient.connectionString(store.connectionString);
});

afterEach(async () => {
  await client?.dispose();
  await adapter?.close();
  await store?.stop();
});

/** Pulls messages until `until` says stop (inclusive), or fails after `timeoutMs`. */
async function take(
  iterator: AsyncIterator<StoryFeedMessage>,
  until: (message: StoryFeedMessage, all: StoryFeedMessage[]) => boolean,
  timeoutMs = 5_000,
): Promise<StoryFeedMessage[]> {
  const taken: StoryFeedMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const step = await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`timed out after ${JSON.stringify(summarise(taken))}`)), Math.max(1, deadline - Date.now())).unref(),
      ),
    ]);
    if (step.done) return taken;
    taken.push(step.value);
    if (until(step.value, taken)) return taken;
  }
}

function summarise(messages: StoryFeedMessage[]): string[] {
  return messages.map((m) => (m.kind === 'event' ? `${m.event.storyId}@${m.event.revision}:${m.event.type}` : m.kind));
}

async function writeForeignEvent(stream: string): Promise<void> {
  await client.appendToStream(stream, jsonEvent({ type: 'SomethingElse', data: { hello: 'world' } }));
}

describe('the $all story events subscription', () => {
  let subscription: StoryEventsSubscription | undefined;
  afterEach(async () => {
    await subscription?.close();
    subscription = undefined;
  });

  it('given stories and foreign streams, catches up on the story events only, in $all order, then says caught-up, then goes live', async () => {
    await adapter.appendToStory('alpha', [report, sources], 'no_stream', context);
    await writeForeignEvent('audit-trail');
    await adapter.appendToStory('beta', [report], 'no_stream', context);
    await writeForeignEvent('storyteller'); // not `story-`: the prefix includes the dash

    subscription = adapter.subscribeToStoryEvents();
    const iterator = subscription[Symbol.asyncIterator]();
    const caughtUp = await take(iterator, (m) => m.kind === 'caught-up');
    const events = caughtUp.filter((m) => m.kind === 'event');
    expect(summarise(events)).toEqual(['alpha@0:ReportPublished', 'alpha@1:SourceCited', 'beta@0:ReportPublished']);
    expect(caughtUp.at(-1)!.kind).toBe('caught-up');
    const positions = events.map((m) => (m.kind === 'event' ? m.at.commit : -1n));
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
    for (const m of events) if (m.kind === 'event') expect(m.event.position).toBe(m.at.commit);
    const first = events[0]!;
    expect(first.kind === 'event' && first.event.metadata.recordedBy).toBe('token:reader-spec');
    expect(first.kind === 'event' && first.event.data).toEqual(report.data);

    await adapter.appendToStory('alpha', [followUp], 1, context);
    const live = await take(iterator, (m) => m.kind === 'event');
    expect(summarise(live.filter((m) => m.kind === 'event'))).toEqual(['alpha@2:ReportPublished']);
  });

  it('resumes after a position, exclusive: nothing before it, nothing twice', async () => {
    await adapter.appendToStory('alpha', [report, sources], 'no_stream', context);
    await adapter.appendToStory('alpha', [followUp, fordDenial], 1, context);

    const all = adapter.subscribeToStoryEvents();
    const seen = (await take(all[Symbol.asyncIterator](), (m) => m.kind === 'caught-up')).filter((m) => m.kind === 'event');
    await all.close();
    const second = seen[1]!;
    if (second.kind !== 'event') throw new Error('expected an event');

    subscription = adapter.subscribeToStoryEvents({ after: second.at });
    const rest = await take(subscription[Symbol.asyncIterator](), (m) => m.kind === 'caught-up');
    expect(summarise(rest)).toEqual(['alpha@2:ReportPublished', 'alpha@3:CompanyDenied', 'caught-up']);
  });

  it('hands out batches of at most the size asked, in the same order as the iterator, and undefined once closed', async () => {
    await adapter.appendToStory('alpha', [report, sources, followUp], 'no_stream', context);
    await writeForeignEvent('audit-trail');
    await adapter.appendToStory('beta', [report, fordDenial], 'no_stream', context);

    subscription = adapter.subscribeToStoryEvents();
    const batches: (readonly StoryFeedMessage[])[] = [];
    while (!batches.flat().some((m) => m.kind === 'caught-up')) {
      const batch = await subscription.nextBatch(2);
      if (batch === undefined) throw new Error('ended before caught-up');
      batches.push(batch);
    }
    for (const batch of batches) expect(batch.length).toBeGreaterThanOrEqual(1);
    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(2);
    expect(summarise(batches.flat())).toEqual([
      'alpha@0:ReportPublished',
      'alpha@1:SourceCited',
      'alpha@2:ReportPublished',
      'beta@0:ReportPublished',
      'beta@1:CompanyDenied',
      'caught-up',
    ]);

    await subscription.close();
    await expect(subscription.nextBatch(2)).resolves.toBeUndefined();
  });

  it('reports checkpoints past events the server filtered out', async () => {
    await adapter.appendToStory('alpha', [report], 'no_stream', context);
    for (let i = 0; i < 70; i += 1) await writeForeignEvent(`other-${i % 3}`);

    subscription = adapter.subscribeToStoryEvents();
    const iterator = subscription[Symbol.asyncIterator]();
    const messages = await take(iterator, (m) => m.kind === 'caught-up');
    const checkpoints = messages.filter((m) => m.kind === 'checkpoint');
    expect(checkpoints.length).toBeGreaterThan(0);
    const event = messages.find((m) => m.kind === 'event');
    const checkpoint = checkpoints.at(-1)!;
    if (event?.kind !== 'event' || checkpoint.kind !== 'checkpoint') throw new Error('expected an event and a checkpoint');
    expect(checkpoint.position.commit).toBeGreaterThan(event.at.commit);
  });

  it('ends quietly when closed, even while waiting for a live event', async () => {
    subscription = adapter.subscribeToStoryEvents();
    const iterator = subscription[Symbol.asyncIterator]();
    await take(iterator, (m) => m.kind === 'caught-up');
    const pending = iterator.next();
    await subscription.close();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
  });

  it('surfaces a stopped store as a SubscriptionDroppedError, after the events it delivered', async () => {
    await adapter.appendToStory('alpha', [report], 'no_stream', context);
    subscription = adapter.subscribeToStoryEvents();
    const iterator = subscription[Symbol.asyncIterator]();
    await take(iterator, (m) => m.kind === 'caught-up');
    await store.stop();
    const outcome = await iterator.next().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(SubscriptionDroppedError);
    expect((outcome as SubscriptionDroppedError).code).toBe('SUBSCRIPTION_DROPPED');
  });

  it('finds the newest story event as the head, past other streams', async () => {
    // A fresh store may hold system events of its own, never a story event.
    expect((await adapter.readStoryHead()).storyHead).toBeUndefined();
    const written = await adapter.appendToStory('alpha', [report], 'no_stream', context);
    await writeForeignEvent('other');
    const head = await adapter.readStoryHead();
    expect(head.storyHead?.commit.toString()).toBe(written.position);
    expect(head.lastPosition!.commit).toBeGreaterThan(head.storyHead!.commit);
  });
});
