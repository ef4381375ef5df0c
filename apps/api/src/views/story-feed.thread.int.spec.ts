// The views' feed thread against the embedded store through the real client: it must hand
// the runner exactly what the adapter's own subscription hands out, in batches no larger
// than asked, and end quietly when closed.
import { SEED_STORY_EVENTS, type StoryEvent } from '@newsroom/domain';
import { type EmbeddedStore, startEmbeddedStore } from '@newsroom/esdb-server';
import { EventStoreAdapter, type StoryFeedMessage } from '@newsroom/event-store';
import { startStoryFeedThread, type StoryFeedThread } from './story-feed.thread';

const context = { correlationId: 'corr', causationId: 'cause', recordedBy: 'token:feed-spec' };
const [report, sources, followUp, fordDenial, xiaomiDenial] = SEED_STORY_EVENTS as [StoryEvent, StoryEvent, StoryEvent, StoryEvent, StoryEvent];

let store: EmbeddedStore;
let adapter: EventStoreAdapter;
let feed: StoryFeedThread;

beforeAll(async () => {
  store = await startEmbeddedStore({ memory: true, port: 0 });
  adapter = EventStoreAdapter.connect(store.connectionString);
  feed = startStoryFeedThread(store.connectionString);
  await adapter.appendToStory('alpha', [report, sources, followUp], 'no_stream', context);
  await adapter.appendToStory('beta', [report, fordDenial, xiaomiDenial], 'no_stream', context);
});

afterAll(async () => {
  await feed?.close();
  await adapter?.close();
  await store?.stop();
});

function summarise(messages: readonly StoryFeedMessage[]): string[] {
  return messages.map((m) => (m.kind === 'event' ? `${m.event.storyId}@${m.event.revision}:${m.event.type}@${m.at.commit}` : m.kind));
}

async function untilCaughtUp(source: { nextBatch(max: number): Promise<readonly StoryFeedMessage[] | undefined> }, max: number) {
  const batches: (readonly StoryFeedMessage[])[] = [];
  while (!batches.flat().some((m) => m.kind === 'caught-up')) {
    const batch = await source.nextBatch(max);
    if (batch === undefined) throw new Error('ended before caught-up');
    batches.push(batch);
  }
  return batches;
}

describe('the story feed thread', () => {
  it('delivers what the adapter itself delivers, in order, in batches of at most the size asked', async () => {
    const direct = adapter.subscribeToStoryEvents();
    const expected = (await untilCaughtUp(direct, 512)).flat();
    await direct.close();

    const threaded = feed.subscribeToStoryEvents({});
    const batches = await untilCaughtUp(threaded, 2);
    await threaded.close();

    expect(summarise(batches.flat())).toEqual(summarise(expected));
    expect(summarise(expected)).toHaveLength(7); // six events, then caught-up
    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(2);
    const first = batches.flat()[0]!;
    expect(first.kind === 'event' && first.event.metadata.recordedBy).toBe('token:feed-spec');
    expect(first.kind === 'event' && first.event.data).toEqual(report.data);
  });

  it('resumes after a position, then goes live, and answers undefined once closed', async () => {
    const direct = adapter.subscribeToStoryEvents();
    const all = (await untilCaughtUp(direct, 512)).flat();
    await direct.close();
    const third = all[2]!;
    if (third.kind !== 'event') throw new Error('expected an event');

    const threaded = feed.subscribeToStoryEvents({ after: third.at });
    const rest = (await untilCaughtUp(threaded, 512)).flat();
    expect(summarise(rest).map((line) => line.replace(/@\d+$/, ''))).toEqual([
      'beta@0:ReportPublished',
      'beta@1:CompanyDenied',
      'beta@2:CompanyDenied',
      'caught-up',
    ]);

    await adapter.appendToStory('gamma', [report], 'no_stream', context);
    const live = await threaded.nextBatch(512);
    expect(summarise(live ?? []).map((line) => line.replace(/@\d+$/, ''))).toEqual(['gamma@0:ReportPublished']);

    await threaded.close();
    await expect(threaded.nextBatch(512)).resolves.toBeUndefined();
  });
});
