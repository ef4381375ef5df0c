// The append thread against the embedded store through the real client: what it writes and
// answers must be what the adapter writes and answers, in the order the appends were sent.
import { SEED_STORY_EVENTS, type StoryEvent } from '@newsroom/domain';
import { type EmbeddedStore, startEmbeddedStore } from '@newsroom/esdb-server';
import { ConcurrencyError, EventStoreAdapter, StoreUnavailableError } from '@newsroom/event-store';
import { type AppendThread, startAppendThread } from './append.thread';

const [report, sources, , fordDenial] = SEED_STORY_EVENTS as [StoryEvent, StoryEvent, StoryEvent, StoryEvent];
const context = { correlationId: 'corr', causationId: 'cause', recordedBy: 'token:append-spec', tool: 'spec' };
const NOW = new Date('2026-03-04T05:06:07.089Z');

let store: EmbeddedStore;
let adapter: EventStoreAdapter;
let thread: AppendThread;
let counter = 0;
const freshStory = () => `append-thread-${++counter}`;

beforeAll(async () => {
  store = await startEmbeddedStore({ memory: true, port: 0 });
  adapter = EventStoreAdapter.connect(store.connectionString);
  thread = startAppendThread(store.connectionString, { clock: () => NOW });
});

afterAll(async () => {
  await thread?.close();
  await adapter?.close();
  await store?.stop();
});

describe('the append thread', () => {
  it('appends as the adapter does: the outcome, the events, and recordedAt from the clock of the api thread', async () => {
    const storyId = freshStory();
    const outcome = await thread.appendToStory(storyId, [report, sources], 'no_stream', context);

    const events = await adapter.readStory(storyId);
    expect(outcome).toEqual({ revision: 1, position: events[1]!.position.toString(), eventIds: events.map((event) => event.eventId) });
    expect(events.map((event) => [event.type, event.data])).toEqual([
      [report.type, report.data],
      [sources.type, sources.data],
    ]);
    expect(events[0]!.metadata).toMatchObject({
      $correlationId: 'corr',
      $causationId: 'cause',
      recordedBy: 'token:append-spec',
      tool: 'spec',
      recordedAt: NOW.toISOString(),
      batchIndex: 0,
      batchSize: 2,
    });
  });

  it('keeps the order the appends were sent in: each one expects the revision the one before it made', async () => {
    const storyId = freshStory();
    await thread.appendToStory(storyId, [report], 'no_stream', context);
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => thread.appendToStory(storyId, [fordDenial], i, context)));
    expect(outcomes.map((outcome) => outcome.revision)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await adapter.readStory(storyId)).toHaveLength(31);
  });

  it("answers a conflict with the adapter's ConcurrencyError, and writes nothing", async () => {
    const storyId = freshStory();
    await thread.appendToStory(storyId, [report], 'no_stream', context);
    const refused = thread.appendToStory(storyId, [sources], 'no_stream', context);
    await expect(refused).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(refused).rejects.toMatchObject({ streamName: `story-${storyId}`, expected: 'no_stream', actual: '0' });
    expect(await adapter.readStory(storyId)).toHaveLength(1);
  });

  it('lets the appends under way finish when it closes, and refuses later ones', async () => {
    const own = startAppendThread(store.connectionString);
    const storyId = freshStory();
    const underWay = own.appendToStory(storyId, [report], 'no_stream', context);
    await own.close();
    await expect(underWay).resolves.toMatchObject({ revision: 0 });
    await expect(own.appendToStory(storyId, [sources], 0, context)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await adapter.readStory(storyId)).toHaveLength(1);
  });

  it('fails the appends of a thread that dies as unavailable, and starts another for the next one', async () => {
    // A connection string the client refuses makes the thread throw as it starts.
    const broken = startAppendThread('not-a-connection-string');
    try {
      await expect(broken.appendToStory(freshStory(), [report], 'no_stream', context)).rejects.toThrow(StoreUnavailableError);
      await expect(broken.appendToStory(freshStory(), [report], 'no_stream', context)).rejects.toThrow(/the append thread (failed|ended)/);
    } finally {
      await broken.close();
    }
  });
});
