// The intake's input rules where the bad-input generator does not fit: a client that
// trickles its body, a tool named in UTF-8, language tags stored in the registry's case,
// and world times against the api's clock. One api with a pinned clock, a one-hour clock
// skew and a short request timeout, over real HTTP and the embedded store.
import { connect } from 'node:net';
import { SEED_STORY_EVENTS, type StoryEvent } from '@newsroom/domain';
import { startEmbeddedStore, type EmbeddedStore } from '@newsroom/esdb-server';
import { EventStoreDBClient } from '@eventstore/db-client';
import { type RunningApi, startApi } from '../src/bootstrap';
import { TOKENS, TOKENS_ENV, expectProblem, freshStoryId, get, markLog, postEvents, readStory } from './support/api.harness';

jest.setTimeout(90_000);

const NOW = Date.parse('2026-03-01T12:00:00Z');
const HOUR = 3_600_000;
const REQUEST_TIMEOUT_MS = 2_000;

let store: EmbeddedStore;
let api: RunningApi;
let client: EventStoreDBClient;

beforeAll(async () => {
  store = await startEmbeddedStore({ memory: true, port: 0 });
  api = await startApi({
    connectionString: store.connectionString,
    tokens: TOKENS_ENV,
    port: 0,
    logger: false,
    clock: () => new Date(NOW),
    maxClockSkewMs: HOUR,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
  });
  client = EventStoreDBClient.connectionString(store.connectionString);
});

afterAll(async () => {
  await client?.dispose();
  await api?.stop();
  await store?.stop();
});

const [seedReport, , , seedDenial] = SEED_STORY_EVENTS as [StoryEvent, StoryEvent, StoryEvent, StoryEvent, ...StoryEvent[]];
const report = (data: Record<string, unknown> = {}) => ({ type: 'ReportPublished', data: { ...seedReport.data, ...data } });
const denial = (data: Record<string, unknown> = {}) => ({ type: 'CompanyDenied', data: { ...seedDenial.data, ...data } });

describe('a client that sends its headers, then trickles its body', () => {
  it('gets 408 as Problem Details once the request timeout passes, and nothing is written', async () => {
    const before = await markLog(client);
    const { hostname, port } = new URL(api.url);
    const body = JSON.stringify(report());
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(
      `POST /stories/${freshStoryId('trickled')}/events HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${TOKENS.writer}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
    // One byte every 200 ms: the whole body would take minutes.
    let sent = 0;
    const trickle = setInterval(() => {
      if (socket.writable && sent < body.length) socket.write(body[sent++]!);
    }, 200);
    try {
      await closed;
    } finally {
      clearInterval(trickle);
    }
    const answer = Buffer.concat(received).toString('utf8');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
    const problem = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
    expect(problem).toEqual(expect.objectContaining({ status: 408, code: 'REQUEST_TIMEOUT', type: expect.any(String), title: expect.any(String) }));
    // The connection was dropped long before the body could have been sent.
    expect(sent).toBeLessThan(body.length / 2);
    expect(await markLog(client)).toEqual(before);
  });

  it('leaves prompt clients alone', async () => {
    expect((await postEvents(api, freshStoryId('prompt'), report())).status).toBe(201);
  });
});

describe('a story id of dots alone', () => {
  it('is refused on reads as on writes (fetch resolves `.` and `..` away; `...` it sends as is)', async () => {
    const write = await postEvents(api, '...', report());
    expectProblem(write, 400);
    expect(write.body.code).toBe('INVALID_STORY_ID');
    for (const path of ['/stories/...', '/stories/.../timeline', '/stories/.../history']) {
      const read = await get(api, path, TOKENS.auditor);
      expectProblem(read, 400);
      expect(read.body.code).toBe('INVALID_STORY_ID');
    }
  });
});

describe('the posting tool', () => {
  it('named in UTF-8 in X-Newsroom-Tool, is recorded as sent and shown so in the history', async () => {
    const storyId = freshStoryId('tool');
    const tool = 'Café Desk/2 — 編集 \u{1F4F0}';
    // fetch sends a header's characters as bytes (latin1): these are the UTF-8 bytes of the name.
    const answer = await postEvents(api, storyId, report(), { headers: { 'x-newsroom-tool': Buffer.from(tool, 'utf8').toString('latin1') } });
    expect(answer.status).toBe(201);
    const history = await get(api, `/stories/${storyId}/history`, TOKENS.auditor);
    expect(history.body.events.map((event: { tool: string }) => event.tool)).toEqual([tool]);
    expect((await readStory(client, storyId))[0]!.metadata).toEqual(expect.objectContaining({ tool }));
  });

  it('named in bytes that are no UTF-8, is refused with 400 and nothing is written', async () => {
    const storyId = freshStoryId('latin1-tool');
    const answer = await postEvents(api, storyId, report(), { headers: { 'x-newsroom-tool': 'caf\u00e9' } });
    expectProblem(answer, 400);
    expect(answer.body.code).toBe('INVALID_TOOL_HEADER');
    expect(await readStory(client, storyId)).toEqual([]);
  });
});

describe('language tags', () => {
  it('are recorded in the registry’s case, whatever case they were posted in', async () => {
    const storyId = freshStoryId('language-case');
    const answer = await postEvents(api, storyId, [report({ language: 'EN' }), denial({ language: 'zh-hant-tw' })]);
    expect(answer.status).toBe(201);
    expect((await readStory(client, storyId)).map((event) => (event.data as { language: string }).language)).toEqual(['en', 'zh-Hant-TW']);
    const story = await get(api, `/stories/${storyId}?minPosition=${answer.body.position}`);
    expect(story.body.languages).toEqual(expect.arrayContaining(['en']));
  });

  it('made of subtags IANA never registered are refused, naming the field', async () => {
    for (const language of ['zz', 'english']) {
      const answer = await postEvents(api, freshStoryId('language-unknown'), report({ language }));
      expectProblem(answer, 400);
      expect(answer.body.errors).toEqual([{ pointer: '/data/language', detail: expect.stringContaining('IANA') }]);
    }
  });
});

describe('world times against the api’s clock (skew tolerated here: one hour)', () => {
  it('within the skew are recorded; beyond it are refused naming the field, and nothing is written', async () => {
    const within = new Date(NOW + HOUR / 2).toISOString();
    expect((await postEvents(api, freshStoryId('near-future'), report({ publishedAt: within }))).status).toBe(201);

    const before = await markLog(client);
    const beyond = new Date(NOW + 2 * HOUR).toISOString();
    const single = await postEvents(api, freshStoryId('future'), report({ publishedAt: beyond }));
    expectProblem(single, 400);
    expect(single.body.errors).toEqual([{ pointer: '/data/publishedAt', detail: expect.stringContaining('in the future') }]);
    const storyId = freshStoryId('future-denial');
    const array = await postEvents(api, storyId, [report(), denial({ deniedAt: '2099-01-06T15:00:00Z' })]);
    expectProblem(array, 400);
    expect(array.body.errors).toEqual([{ pointer: '/1/data/deniedAt', detail: expect.stringContaining('in the future') }]);
    expect(await markLog(client)).toEqual(before);
  });

  it('posted with a zone are kept as posted in the history and shown in UTC by the views', async () => {
    const storyId = freshStoryId('zoned');
    const answer = await postEvents(api, storyId, [report({ publishedAt: '2025-01-06T13:00:00+07:00' }), denial({ deniedAt: '2025-01-06T07:00:00.5-08:00' })]);
    expect(answer.status).toBe(201);
    const history = await get(api, `/stories/${storyId}/history`, TOKENS.auditor);
    expect(history.body.events.map((event: { data: Record<string, string> }) => event.data.publishedAt ?? event.data.deniedAt)).toEqual([
      '2025-01-06T13:00:00+07:00',
      '2025-01-06T07:00:00.5-08:00',
    ]);
    const story = await get(api, `/stories/${storyId}?minPosition=${answer.body.position}`);
    expect(story.body.reports[0].publishedAt).toBe('2025-01-06T06:00:00Z');
    expect(story.body.claims[0].denials.map((response: { at: string }) => response.at)).toEqual(['2025-01-06T15:00:00.500Z']);
  });
});
