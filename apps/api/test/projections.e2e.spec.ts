// The live views against the log: GET /admin/projections gives a digest equal to views
// rebuilt from scratch over the same events, and restarting the embedded store (stopped,
// then started again on the same data directory and port) under the live subscription
// leaves the views identical to a fresh replay.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_STORY_EVENTS, type StoryEvent } from '@newsroom/domain';
import { startEmbeddedStore, type EmbeddedStore } from '@newsroom/esdb-server';
import { EventStoreAdapter } from '@newsroom/event-store';
import { createNewsroomViews, digestViews, evolveNewsroomViews, type ViewsDigest } from '@newsroom/projections';
import { type RunningApi, startApi } from '../src/bootstrap';
import { type Answer, TOKENS, TOKENS_ENV, expectProblem, get, postEvents } from './support/api.harness';

jest.setTimeout(90_000);

/** A fresh replay, as `npm run replay` does: every story event of $all into new views. */
async function replay(connectionString: string): Promise<ViewsDigest> {
  const adapter = EventStoreAdapter.connect(connectionString);
  const subscription = adapter.subscribeToStoryEvents();
  const views = createNewsroomViews();
  try {
    for await (const message of subscription) {
      if (message.kind === 'event') evolveNewsroomViews(views, message.event);
      if (message.kind === 'caught-up') break;
    }
  } finally {
    await subscription.close();
    await adapter.close();
  }
  return digestViews(views);
}

async function post(api: RunningApi, storyId: string, body: unknown): Promise<Answer> {
  const answer = await postEvents(api, storyId, body);
  expect({ status: answer.status, text: answer.text }).toEqual({ status: 201, text: expect.any(String) });
  return answer;
}

/** Stories of the seed's shape, posted one event at a time. */
async function postStories(api: RunningApi, prefix: string, count: number): Promise<string> {
  let position = '';
  for (let i = 0; i < count; i += 1) {
    for (const event of SEED_STORY_EVENTS as readonly StoryEvent[]) position = (await post(api, `${prefix}-${i}`, event)).body.position;
  }
  return position;
}

describe('GET /admin/projections', () => {
  let store: EmbeddedStore;
  let api: RunningApi;
  beforeAll(async () => {
    store = await startEmbeddedStore({ memory: true, port: 0 });
    api = await startApi({ connectionString: store.connectionString, tokens: TOKENS_ENV, port: 0, logger: false });
  });
  afterAll(async () => {
    await api?.stop();
    await store?.stop();
  });

  it('gives the live position and a digest equal to views rebuilt from scratch over the same events', async () => {
    const position = await postStories(api, 'digest', 3);
    const answer = await get(api, `/admin/projections?minPosition=${position}`, TOKENS.auditor);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      position,
      stories: 3,
      companies: 2,
      events: 15,
      caughtUp: true,
      state: 'live',
      lag: { storyHead: position, positions: '0' },
    });
    const fresh = await replay(store.connectionString);
    expect(fresh.position).toBe(position);
    expect(answer.body.digest).toBe(fresh.digest);
  });

  it('is for auditors only', async () => {
    expectProblem(await get(api, '/admin/projections', TOKENS.reader), 403);
    expectProblem(await get(api, '/admin/projections', TOKENS.writer), 403);
    expectProblem(await get(api, '/admin/projections', null), 401);
  });
});

describe('given a live subscription when the embedded store restarts', () => {
  let dataDir: string;
  let store: EmbeddedStore | undefined;
  let api: RunningApi;
  let port: number;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'newsroom-projections-'));
    store = await startEmbeddedStore({ dataDir, port: 0 });
    port = store.port;
    api = await startApi({
      connectionString: store.connectionString,
      tokens: TOKENS_ENV,
      port: 0,
      logger: false,
      views: { initialBackoffMs: 50, maxBackoffMs: 500 },
    });
  });
  afterAll(async () => {
    await api?.stop();
    await store?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('resubscribes after what it applied: the views equal a fresh replay, every event once', async () => {
    const before = await postStories(api, 'before', 2);
    expect((await get(api, `/admin/projections?minPosition=${before}`, TOKENS.auditor)).body.events).toBe(10);

    await store!.stop();
    store = undefined;
    const down = await get(api, '/admin/projections', TOKENS.auditor);
    expect(down.status).toBe(200); // the views still answer from memory
    expect(down.body.lag.positions).toBeNull(); // the head of $all is unknown while the store is down
    store = await startEmbeddedStore({ dataDir, port });

    // The api's client reconnects on its own; a post may meet the store still starting.
    let after = '';
    for (let attempt = 0; after === '' && attempt < 50; attempt += 1) {
      const answer = await postEvents(api, 'after-0', SEED_STORY_EVENTS[0]);
      if (answer.status === 201) after = answer.body.position;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(after).not.toBe('');
    for (const event of SEED_STORY_EVENTS.slice(1)) after = (await post(api, 'after-0', event)).body.position;

    const live = await get(api, `/admin/projections?minPosition=${after}`, TOKENS.auditor);
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ position: after, stories: 3, events: 15 });
    expect(live.body.runner.subscriptions).toBeGreaterThan(1);
    const fresh = await replay(store.connectionString);
    expect({ position: live.body.position, digest: live.body.digest }).toEqual({ position: fresh.position, digest: fresh.digest });
  });
});
