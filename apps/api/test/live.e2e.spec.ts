// The live feed over a real HTTP stream: Server-Sent Events of story changes, resumed
// with Last-Event-ID, filtered to one story, kept open by heartbeats, and cleaned up
// when the client goes away or the api stops.
import { SEED_STORY_EVENTS } from '@newsroom/domain';
import { startEmbeddedStore, type EmbeddedStore } from '@newsroom/esdb-server';
import { type RunningApi, startApi } from '../src/bootstrap';
import { LiveFeedService } from '../src/live/live-feed.service';
import { TOKENS, TOKENS_ENV, expectProblem, get, postEvents } from './support/api.harness';

jest.setTimeout(60_000);

interface SseFrame {
  event: string;
  id?: string;
  data?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  comment?: string;
}

/** An open SSE response, read frame by frame as a browser's EventSource would. */
class SseClient {
  private buffer = '';
  private readonly frames: SseFrame[] = [];
  private waiting: (() => void) | undefined;
  ended = false;

  private constructor(
    readonly response: Response,
    private readonly abort: AbortController,
  ) {
    void this.pump();
  }

  static async open(api: RunningApi, path: string, headers: Record<string, string> = {}, token: string = TOKENS.reader): Promise<SseClient> {
    const abort = new AbortController();
    const response = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers }, signal: abort.signal });
    return new SseClient(response, abort);
  }

  /** The next frame matching `predicate` (frames before it are consumed), or a failure after `timeoutMs`. */
  async next(predicate: (frame: SseFrame) => boolean = (f) => f.data !== undefined, timeoutMs = 5_000): Promise<SseFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.frames.length > 0) {
        const frame = this.frames.shift()!;
        if (predicate(frame)) return frame;
      }
      if (this.ended) throw new Error('the stream ended');
      if (Date.now() > deadline) throw new Error('no such frame in time');
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        setTimeout(resolve, 50);
      });
    }
  }

  close(): void {
    this.abort.abort();
  }

  private async pump(): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of this.response.body as unknown as AsyncIterable<Uint8Array>) {
        this.buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = this.buffer.indexOf('\n\n')) !== -1) {
          this.frames.push(parseFrame(this.buffer.slice(0, end)));
          this.buffer = this.buffer.slice(end + 2);
        }
        this.waiting?.();
      }
    } catch {
      // Aborted by close().
    }
    this.ended = true;
    this.waiting?.();
  }
}

function parseFrame(text: string): SseFrame {
  const frame: SseFrame = { event: 'message' };
  for (const line of text.split('\n')) {
    if (line.startsWith(':')) frame.comment = line.slice(1).trim();
    else if (line.startsWith('event: ')) frame.event = line.slice(7);
    else if (line.startsWith('id: ')) frame.id = line.slice(4);
    else if (line.startsWith('data: ')) frame.data = JSON.parse(line.slice(6));
  }
  return frame;
}

const isStory = (frame: SseFrame) => frame.event === 'story';

let store: EmbeddedStore;
let api: RunningApi;
const clients: SseClient[] = [];

async function open(path = '/stream', headers: Record<string, string> = {}): Promise<SseClient> {
  const client = await SseClient.open(api, path, headers);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  store = await startEmbeddedStore({ memory: true, port: 0 });
  api = await startApi({ connectionString: store.connectionString, tokens: TOKENS_ENV, port: 0, logger: false, views: { heartbeatMs: 200 } });
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(async () => {
  await api?.stop();
  await store?.stop();
});

describe('GET /stream', () => {
  it('when a story event is posted, then the open stream delivers its change: story id, revision, position and the story summary', async () => {
    const client = await open();
    expect(client.response.status).toBe(200);
    expect(client.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect((await client.next()).event).toBe('ready');

    const posted = await postEvents(api, 'live-seed', SEED_STORY_EVENTS[0]);
    expect(posted.status).toBe(201);
    const change = await client.next(isStory);
    expect(change.id).toBe(`${posted.body.position}.0`);
    expect(change.data).toMatchObject({ storyId: 'live-seed', revision: 0, position: posted.body.position, type: 'ReportPublished' });
    expect(change.data.story).toMatchObject({ storyId: 'live-seed', revision: 0, claimStatuses: { reported: 1 }, outlets: ['Financial Times'] });

    const denied = await postEvents(api, 'live-seed', SEED_STORY_EVENTS.slice(1));
    const frames = [await client.next(isStory), await client.next(isStory), await client.next(isStory), await client.next(isStory)];
    expect(frames.map((f) => [f.data.revision, f.data.type])).toEqual([
      [1, 'SourceCited'],
      [2, 'ReportPublished'],
      [3, 'CompanyDenied'],
      [4, 'CompanyDenied'],
    ]);
    expect(frames[3]!.data.position).toBe(denied.body.position);
    expect(frames[3]!.data.story.claimStatuses).toEqual({ denied: 1 });
  });

  it('when a client reconnects with Last-Event-ID, then it first receives exactly what it missed', async () => {
    const first = await postEvents(api, 'live-resume', SEED_STORY_EVENTS[0]);
    const lastSeen = `${first.body.position}.0`;
    await postEvents(api, 'live-resume', SEED_STORY_EVENTS[1]);
    const last = await postEvents(api, 'live-resume', SEED_STORY_EVENTS[2]);

    const client = await open(`/stream?storyId=live-resume&minPosition=${last.body.position}`, { 'last-event-id': lastSeen });
    expect((await client.next()).event).toBe('ready');
    const missed = [await client.next(isStory), await client.next(isStory)];
    expect(missed.map((f) => f.data.revision)).toEqual([1, 2]);
  });

  it('filters to one story when asked', async () => {
    const client = await open('/stream?storyId=live-mine');
    await client.next();
    await postEvents(api, 'live-other', SEED_STORY_EVENTS[0]);
    const mine = await postEvents(api, 'live-mine', SEED_STORY_EVENTS[0]);
    const change = await client.next(isStory);
    expect(change.data).toMatchObject({ storyId: 'live-mine', position: mine.body.position });
  });

  it('sends heartbeats while nothing happens', async () => {
    const client = await open();
    const heartbeat = await client.next((frame) => frame.comment?.startsWith('heartbeat') === true, 3_000);
    expect(heartbeat.comment).toMatch(/^heartbeat \d{4}-/);
  });

  it('forgets a client that disconnects', async () => {
    const feed = api.app.get(LiveFeedService);
    const settled = async (count: number) => {
      for (let i = 0; i < 100 && feed.connected !== count; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(feed.connected).toBe(count);
    };
    await settled(0); // the earlier tests' clients are gone too
    const client = await open();
    await client.next();
    expect(feed.connected).toBe(1);
    client.close();
    await settled(0);
  });

  it('refuses with Problem Details before the stream opens: no token 401, writer 403, bad minPosition 400', async () => {
    expectProblem(await get(api, '/stream', null), 401);
    expectProblem(await get(api, '/stream', TOKENS.writer), 403);
    expectProblem(await get(api, '/stream?minPosition=soon'), 400);
    expectProblem(await get(api, '/stream?storyId=not%20a%20slug'), 400);
  });
});

describe('given a feed that remembers only the last two changes', () => {
  it('when a client resumes from further back, then it is told to reload (reset), and from within reach it gets what it missed', async () => {
    const ownStore = await startEmbeddedStore({ memory: true, port: 0 });
    const ownApi = await startApi({ connectionString: ownStore.connectionString, tokens: TOKENS_ENV, port: 0, logger: false, views: { feedReplayCapacity: 2 } });
    try {
      const ids: string[] = [];
      for (const event of SEED_STORY_EVENTS.slice(0, 4)) ids.push(`${(await postEvents(ownApi, 'short-memory', event)).body.position}`);
      const atLast = `minPosition=${ids[3]}`;
      const tooOld = await SseClient.open(ownApi, `/stream?${atLast}`, { 'last-event-id': `${ids[0]}.0` });
      clients.push(tooOld);
      await tooOld.next((f) => f.event === 'ready');
      expect(await tooOld.next()).toMatchObject({ event: 'reset', data: { position: ids[3] } });
      const recent = await SseClient.open(ownApi, `/stream?${atLast}`, { 'last-event-id': `${ids[1]}.1` });
      clients.push(recent);
      await recent.next((f) => f.event === 'ready');
      expect((await recent.next()).data).toMatchObject({ revision: 2 });
      expect((await recent.next()).data).toMatchObject({ revision: 3 });
    } finally {
      for (const client of clients.splice(0)) client.close();
      await ownApi.stop();
      await ownStore.stop();
    }
  });
});

describe('given a Last-Event-ID the feed cannot place', () => {
  it.each(['garbage', '-1', '1.2.3', '12.x', ' ', '%31', '99999999999999999999.0'])(
    'when a client resumes with %j, then it is told to reload (reset) after ready, and then follows the live changes',
    async (lastEventId) => {
      const posted = await postEvents(api, `unplaceable-${clients.length}-${lastEventId.length}`, SEED_STORY_EVENTS[0]);
      expect(posted.status).toBe(201);
      const client = await open(`/stream?minPosition=${posted.body.position}`, { 'last-event-id': lastEventId });
      expect(client.response.status).toBe(200);
      expect(await client.next()).toMatchObject({ event: 'ready' });
      const reset = await client.next();
      expect(reset).toMatchObject({ event: 'reset', data: { reason: expect.stringContaining('reload'), position: expect.stringMatching(/^\d+$/) } });
      expect(BigInt(reset.data.position)).toBeGreaterThanOrEqual(BigInt(posted.body.position));

      const next = await postEvents(api, `unplaceable-next-${clients.length}-${lastEventId.length}`, SEED_STORY_EVENTS[0]);
      expect((await client.next(isStory)).data).toMatchObject({ position: next.body.position, revision: 0 });
    },
  );

  it('when a client resumes with the id of the last change it saw, then it gets no reset and only what came after', async () => {
    const first = await postEvents(api, 'placeable', SEED_STORY_EVENTS[0]);
    const client = await open(`/stream?minPosition=${first.body.position}`, { 'last-event-id': `${first.body.position}.0` });
    expect(await client.next()).toMatchObject({ event: 'ready' });
    const second = await postEvents(api, 'placeable', SEED_STORY_EVENTS[1]);
    expect(await client.next()).toMatchObject({ event: 'story', id: `${second.body.position}.1` });
  });
});

describe('given an open stream when the api stops', () => {
  it('ends the stream and the api stops', async () => {
    const ownStore = await startEmbeddedStore({ memory: true, port: 0 });
    const ownApi = await startApi({ connectionString: ownStore.connectionString, tokens: TOKENS_ENV, port: 0, logger: false });
    const client = await SseClient.open(ownApi, '/stream');
    await client.next();
    await ownApi.stop();
    await ownStore.stop();
    await expect(client.next(isStory, 2_000)).rejects.toThrow('the stream ended');
  });
});
