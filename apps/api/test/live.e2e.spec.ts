// The live feed over a real HTTP stream: Server-Sent Events of story changes, resumed
// with Last-Event-ID, filtered to one story, kept open by heartbeats, and cleaned up
// when the client goes away or the api stops.
import { type Socket, connect } from 'node:net';
import { SEED_STORY_EVENTS } from '@newsroom/domain';
import { startEmbeddedStore, type EmbeddedStore } from '@newsroom/esdb-server';
import { type RunningApi, startApi } from '../src/bootstrap';
import { LiveFeedService } from '../src/live/live-feed.service';
import type { ViewsOptions } from '../src/views/views.options';
import { type Answer, TOKENS, TOKENS_ENV, expectProblem, get, postEvents } from './support/api.harness';

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

/** Resolves once `check` holds (polled), or fails after `timeoutMs`. */
async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('the condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Orders SSE ids `<position>.<revision>` as the log does. */
function byLogOrder(a: string, b: string): number {
  const [pa, ra] = a.split('.').map(BigInt) as [bigint, bigint];
  const [pb, rb] = b.split('.').map(BigInt) as [bigint, bigint];
  return pa === pb ? Number(ra - rb) : pa < pb ? -1 : 1;
}

/**
 * A client that stops reading: a raw socket that sends its request, takes the first
 * bytes (headers and `ready`), then is paused, so the api's writes pile up.
 */
class StalledClient {
  received = '';
  ended = false;
  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received += chunk.toString();
    });
    socket.on('end', () => {
      this.ended = true;
    });
    socket.on('close', () => {
      this.ended = true;
    });
  }

  static async open(target: RunningApi, token: string = TOKENS.reader): Promise<StalledClient> {
    const url = new URL(target.url);
    const socket = connect(Number(url.port), url.hostname);
    socket.setEncoding('latin1');
    const client = new StalledClient(socket);
    socket.write(`GET /stream HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    await until(() => client.received.includes('event: ready'));
    socket.pause();
    return client;
  }

  resume(): void {
    this.socket.resume();
  }
}

/** Runs `test` against an api of its own (with these views options), then closes its streams and stops it. */
async function withOwnApi(views: ViewsOptions, test: (ownApi: RunningApi) => Promise<void>): Promise<void> {
  const ownStore = await startEmbeddedStore({ memory: true, port: 0 });
  const ownApi = await startApi({ connectionString: ownStore.connectionString, tokens: TOKENS_ENV, port: 0, logger: false, views });
  try {
    await test(ownApi);
  } finally {
    for (const client of clients.splice(0)) client.close();
    await ownApi.stop();
    await ownStore.stop();
  }
}

/** A report of 50 claims about 20 companies each: its story's summary lists 1,000 long company ids. */
function reportAboutManyCompanies(): unknown {
  const report = SEED_STORY_EVENTS[0]!;
  const claims = Array.from({ length: 50 }, (_, claim) => ({
    claimId: `claim-${claim}`,
    statement: `Claim ${claim}.`,
    about: Array.from({ length: 20 }, (_, company) => `company-${claim}-${company}-${'x'.repeat(90)}`),
  }));
  return { ...report, data: { ...report.data, claims } };
}

/** One new story per post, `count` posts at once. */
function postStories(target: RunningApi, prefix: string, count: number): Promise<Answer[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => postEvents(target, `${prefix}-${i}`, SEED_STORY_EVENTS[0])));
}

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

describe('given many open streams', () => {
  it('when 500 stories are posted at once, then each of 50 clients receives every change exactly once, in the order of the log', async () => {
    const readers = await Promise.all(Array.from({ length: 50 }, () => open()));
    for (const reader of readers) expect((await reader.next()).event).toBe('ready');

    const posted = await postStories(api, 'burst', 500);
    expect(posted.map((answer) => answer.status)).toEqual(posted.map(() => 201));
    const expected = posted.map((answer) => `${answer.body.position}.0`).sort(byLogOrder);

    for (const reader of readers) {
      const ids: string[] = [];
      while (ids.length < expected.length) ids.push((await reader.next(isStory, 20_000)).id!);
      expect(ids).toEqual(expected);
    }
  });

  it('a follower of one story receives only that story, among the changes of many others', async () => {
    const follower = await open('/stream?storyId=followed-story');
    await follower.next();

    const others = postStories(api, 'not-followed', 40);
    const mine: Answer[] = [];
    for (const event of SEED_STORY_EVENTS.slice(0, 3)) mine.push(await postEvents(api, 'followed-story', event));
    await others;
    await postStories(api, 'not-followed-after', 10);
    const last = await postEvents(api, 'followed-story', SEED_STORY_EVENTS[3]);

    const frames = [await follower.next(isStory), await follower.next(isStory), await follower.next(isStory), await follower.next(isStory)];
    expect(frames.map((f) => [f.data.storyId, f.data.revision])).toEqual([
      ['followed-story', 0],
      ['followed-story', 1],
      ['followed-story', 2],
      ['followed-story', 3],
    ]);
    expect(frames[3]!.data.position).toBe(last.body.position);
  });

  it('an unreadable Last-Event-ID (garbage, -1) is answered ready, then reset, and the live changes follow', async () => {
    for (const lastEventId of ['garbage', '-1']) {
      const client = await open('/stream', { 'last-event-id': lastEventId });
      expect((await client.next()).event).toBe('ready');
      expect(await client.next()).toMatchObject({ event: 'reset', data: { reason: expect.stringContaining('Last-Event-ID') } });
      const posted = await postEvents(api, `after-reset-${lastEventId}`, SEED_STORY_EVENTS[0]);
      expect((await client.next(isStory)).id).toBe(`${posted.body.position}.0`);
    }
  });
});

describe('given a client that stops reading', () => {
  it('when its unread bytes pass the limit, then it is sent reset and closed, while the other clients go on receiving', async () => {
    let stalled: StalledClient | undefined;
    await withOwnApi({ liveMaxQueuedBytes: 32 * 1024 }, async (ownApi) => {
      const feed = ownApi.app.get(LiveFeedService);
      stalled = await StalledClient.open(ownApi);
      const reader = await SseClient.open(ownApi, '/stream');
      clients.push(reader);
      await reader.next();
      await until(() => feed.connected === 2);

      // The kernel's socket buffers take megabytes before the api's own queue grows: post
      // stories whose summaries are large (about 100 KiB a frame) until the stream overflows.
      for (let round = 0; feed.overflows === 0; round++) {
        if (round === 40) throw new Error('the stalled client was never reset');
        const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => postEvents(ownApi, `stall-${round}-${i}`, reportAboutManyCompanies())));
        expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201]);
      }
      expect(feed.connected).toBe(1);

      const after = await postEvents(ownApi, 'after-the-stall', SEED_STORY_EVENTS[0]);
      expect((await reader.next((f) => f.data?.storyId === 'after-the-stall', 10_000)).id).toBe(`${after.body.position}.0`);

      // Read at last, the stalled stream ends with the reset frame, and the api closes it.
      stalled.resume();
      await until(() => stalled!.ended, 20_000);
      const frames = stalled.received.split('\n\n').filter((text) => text.includes('event: '));
      expect(frames.at(-1)).toMatch(/event: reset\ndata: \{"reason":"the client read too slowly/);
      expect(stalled.received).not.toContain('after-the-stall');
    }).finally(() => stalled?.socket.destroy());
  });
});

describe('given a limit of three streams per token', () => {
  it('when eight streams are asked for at once, round after round, then exactly three open and five are answered 429 with Retry-After; another token is counted apart', async () => {
    await withOwnApi({ liveConnectionsPerToken: 3 }, async (ownApi) => {
      const feed = ownApi.app.get(LiveFeedService);
      for (let round = 0; round < 5; round++) {
        const answers = await Promise.all(
          Array.from({ length: 8 }, async () => {
            const abort = new AbortController();
            const response = await fetch(`${ownApi.url}/stream`, { headers: { authorization: `Bearer ${TOKENS.reader}` }, signal: abort.signal });
            return { response, abort };
          }),
        );
        const open = answers.filter((answer) => answer.response.status === 200);
        const refused = answers.filter((answer) => answer.response.status !== 200);
        expect(open).toHaveLength(3);
        for (const { response } of refused) {
          const text = await response.text();
          expectProblem({ status: response.status, headers: response.headers, text, body: JSON.parse(text) }, 429);
          expect(JSON.parse(text)).toMatchObject({ code: 'TOO_MANY_STREAMS', limit: 3 });
          expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
        }

        const other = await SseClient.open(ownApi, '/stream', {}, TOKENS.auditor);
        expect(other.response.status).toBe(200);
        other.close();

        // A closed stream gives its place back.
        open[0]!.abort.abort();
        await until(() => feed.connected === 2);
        const again = await SseClient.open(ownApi, '/stream');
        expect(again.response.status).toBe(200);
        again.close();
        for (const { abort } of open) abort.abort();
        await until(() => feed.connected === 0);
      }
    });
  });
});

describe('given a feed that remembers only the last two changes', () => {
  it('when a client resumes from further back, then it is told to reload (reset), and from within reach it gets what it missed', async () => {
    await withOwnApi({ feedReplayCapacity: 2 }, async (ownApi) => {
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
    });
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
