// A subscriber's lag in events, counted against the embedded store through the real client:
// only story events after the position count, other streams' events do not, and the count
// stops at its limit across pages.
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { SEED_STORY_EVENTS, type StoryEvent } from '@newsroom/domain';
import { type EmbeddedStore, startEmbeddedStore } from '@newsroom/esdb-server';
import { EventStoreAdapter } from './event-store.adapter';

const [report, sources] = SEED_STORY_EVENTS as [StoryEvent, StoryEvent];
const context = { correlationId: 'corr', causationId: 'cause', recordedBy: 'token:lag-spec' };

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

describe('counting the story events after a position', () => {
  it('given a story and foreign events after it, then only the story events after the position count', async () => {
    const first = await adapter.appendToStory('lag-a', [report], 'no_stream', context);
    await client.appendToStream('other-stream', jsonEvent({ type: 'SomethingElse', data: { n: 1 } }));
    await adapter.appendToStory('lag-a', [sources], 0, context);
    const last = await adapter.appendToStory('lag-b', [report, sources], 'no_stream', context);

    expect(await adapter.countStoryEventsAfter(-1n, 1_000)).toBe(4);
    expect(await adapter.countStoryEventsAfter(BigInt(first.position), 1_000)).toBe(3);
    expect(await adapter.countStoryEventsAfter(BigInt(last.position), 1_000)).toBe(0);
  });

  it('given more story events than one page holds, then the count crosses pages and stops at its limit', async () => {
    for (let i = 0; i < 150; i++) await adapter.appendToStory(`lag-many-${i}`, [report], 'no_stream', context);

    expect(await adapter.countStoryEventsAfter(-1n, 1_000)).toBe(150);
    expect(await adapter.countStoryEventsAfter(-1n, 100)).toBe(100);
  });
});
