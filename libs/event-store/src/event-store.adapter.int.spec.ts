// The adapter against the embedded store through the real client.
import { EventStoreDBClient } from '@eventstore/db-client';
import { SEED_STORY_EVENTS, type StoryEvent } from '@newsroom/domain';
import { type EmbeddedStore, startEmbeddedStore } from '@newsroom/esdb-server';
import { EventStoreAdapter } from './event-store.adapter';
import { ConcurrencyError, StoreFullError, StoreUnavailableError, StreamDeletedError } from './event-store.errors';

const [report, sources, followUp] = SEED_STORY_EVENTS as [StoryEvent, StoryEvent, StoryEvent];
const NOW = new Date('2026-01-02T03:04:05.000Z');
const context = { correlationId: 'corr-1', causationId: 'cause-1', recordedBy: 'token:abc', tool: 'desk/1.0' };

let store: EmbeddedStore;
let adapter: EventStoreAdapter;
let counter = 0;
const freshStory = () => `adapter-${process.pid}-${++counter}`;

beforeAll(async () => {
  store = await startEmbeddedStore({ memory: true, port: 0 });
  adapter = EventStoreAdapter.connect(store.connectionString, { clock: () => NOW });
});

afterAll(async () => {
  await adapter?.close();
  await store?.stop();
});

describe('the event-store adapter', () => {
  it('appends to story-<id> and reads back the events with their stamp, revision and position', async () => {
    const storyId = freshStory();
    const first = await adapter.appendToStory(storyId, [report, sources], 'no_stream', context);
    expect(first).toEqual({ revision: 1, position: expect.stringMatching(/^\d+$/), eventIds: [expect.any(String), expect.any(String)] });
    const second = await adapter.appendToStory(storyId, [followUp], 1, context);
    expect(second.revision).toBe(2);
    expect(BigInt(second.position)).toBeGreaterThan(BigInt(first.position));

    const events = await adapter.readStory(storyId);
    expect(events.map((e) => [e.type, e.revision, e.storyId])).toEqual([
      ['ReportPublished', 0n, storyId],
      ['SourceCited', 1n, storyId],
      ['ReportPublished', 2n, storyId],
    ]);
    expect(events[0]!.data).toEqual(report.data);
    expect(events[1]!.eventId).toBe(first.eventIds[1]);
    expect(events[2]!.position.toString()).toBe(second.position);
    expect(events[1]!.position.toString()).toBe(first.position);
    expect(events[0]!.metadata).toEqual({
      $correlationId: 'corr-1',
      $causationId: 'cause-1',
      recordedBy: 'token:abc',
      recordedAt: NOW.toISOString(),
      tool: 'desk/1.0',
      schemaVersion: 1,
      batchIndex: 0,
      batchSize: 2,
    });
  });

  it('stamps the time the context gives as recordedAt, over its own clock', async () => {
    const storyId = freshStory();
    const recordedAt = new Date('2025-12-31T23:59:59.250Z');
    await adapter.appendToStory(storyId, [report], 'no_stream', { ...context, recordedAt });
    const [event] = await adapter.readStory(storyId);
    expect(event!.metadata.recordedAt).toBe('2025-12-31T23:59:59.250Z');
  });

  it('reads a story without a stream as no events', async () => {
    expect(await adapter.readStory(freshStory())).toEqual([]);
  });

  it('reads one event of a story by its revision, and nothing where there is none', async () => {
    const storyId = freshStory();
    const written = await adapter.appendToStory(storyId, [report, sources, followUp], 'no_stream', context);
    const second = await adapter.readStoryEvent(storyId, 1);
    expect(second).toMatchObject({ type: 'SourceCited', revision: 1n, eventId: written.eventIds[1], data: sources.data });
    expect(second!.metadata).toMatchObject({ $causationId: 'cause-1', batchIndex: 1, batchSize: 3 });
    expect(await adapter.readStoryEvent(storyId, 3)).toBeUndefined();
    expect(await adapter.readStoryEvent(freshStory(), 0)).toBeUndefined();
  });

  it('refuses an append at a revision the story is not at, with both revisions named', async () => {
    const storyId = freshStory();
    await adapter.appendToStory(storyId, [report], 'no_stream', context);
    await expect(adapter.appendToStory(storyId, [sources], 'no_stream', context)).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(adapter.appendToStory(storyId, [sources], 5, context)).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT', expected: '5', actual: '0' });
    expect(await adapter.readStory(storyId)).toHaveLength(1);
  });

  it('writes nothing twice when the same event ids are appended again at the same revision', async () => {
    const storyId = freshStory();
    const id = '6f1c1a8e-6f5b-4b8e-9f1e-2a0c3d4e5f60';
    const first = await adapter.appendToStory(storyId, [{ ...report, id }], 'no_stream', context);
    const again = await adapter.appendToStory(storyId, [{ ...report, id }], 'no_stream', context);
    expect(again.revision).toBe(first.revision);
    expect(await adapter.readStory(storyId)).toHaveLength(1);
  });

  it('maps a deleted stream to StreamDeletedError, on append and on read', async () => {
    const storyId = freshStory();
    await adapter.appendToStory(storyId, [report], 'no_stream', context);
    const client = EventStoreDBClient.connectionString(store.connectionString);
    try {
      await client.tombstoneStream(`story-${storyId}`);
    } finally {
      await client.dispose();
    }
    await expect(adapter.appendToStory(storyId, [sources], 'any', context)).rejects.toBeInstanceOf(StreamDeletedError);
    await expect(adapter.readStory(storyId)).rejects.toBeInstanceOf(StreamDeletedError);
  });

  it('lets an append under way finish when closed, and refuses new work after', async () => {
    const closing = EventStoreAdapter.connect(store.connectionString);
    const storyId = freshStory();
    const append = closing.appendToStory(storyId, [report], 'no_stream', context);
    await closing.close();
    await expect(append).resolves.toMatchObject({ revision: 0 });
    await expect(closing.readStory(storyId)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await adapter.readStory(storyId)).toHaveLength(1);
  });

  it('says the store is unavailable when nothing listens', async () => {
    const gone = await startEmbeddedStore({ memory: true, port: 0 });
    const orphan = EventStoreAdapter.connect(gone.connectionString);
    await gone.stop();
    try {
      await expect(orphan.appendToStory(freshStory(), [report], 'no_stream', context)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(orphan.readStory(freshStory())).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(orphan.ping(500)).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await orphan.close();
    }
  });
});

describe.each([
  ['BatchAppend', true],
  ['Append', false],
])('given a store whose disk is full, written to with %s', (_method, batchAppend) => {
  const faults = { failWrites: 0, failSyncs: 0 };
  let full: EmbeddedStore;
  let writer: EventStoreAdapter;
  beforeAll(async () => {
    full = await startEmbeddedStore({ memory: true, port: 0, batchAppend, faults });
    writer = EventStoreAdapter.connect(full.connectionString);
  });
  afterAll(async () => {
    await writer?.close();
    await full?.stop();
  });

  it('when an append fails for want of space, then StoreFullError with the store’s reason; nothing is written; the next append succeeds', async () => {
    const storyId = freshStory();
    faults.failWrites = 1;
    const refused = writer.appendToStory(storyId, [report], 'no_stream', context);
    await expect(refused).rejects.toBeInstanceOf(StoreFullError);
    await expect(refused).rejects.toMatchObject({ code: 'STORE_FULL', message: expect.stringMatching(/no space left on device/i) });
    expect(await writer.readStory(storyId)).toEqual([]);

    await expect(writer.appendToStory(storyId, [report], 'no_stream', context)).resolves.toMatchObject({ revision: 0 });
  });
});
