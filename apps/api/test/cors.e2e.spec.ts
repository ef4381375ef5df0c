// Other dashboards: pages on the origins of NEWSROOM_CORS_ORIGINS may call the api from a
// browser (their preflights answered without a token); pages on any other origin may not.
import { SEED_STORY_EVENTS } from '@newsroom/domain';
import { type EmbeddedStore, startEmbeddedStore } from '@newsroom/esdb-server';
import { type RunningApi, startApi } from '../src/bootstrap';
import { TOKENS, TOKENS_ENV, expectProblem, freshStoryId, get, postEvents, send, useNewsroom } from './support/api.harness';

jest.setTimeout(60_000);

const DESK = 'http://desk.localhost:5173';
const STRANGER = 'http://elsewhere.localhost:8080';
const EXPOSED = ['etag', 'location', 'idempotent-replayed', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'];
const REQUESTED = ['authorization', 'content-type', 'if-match', 'idempotency-key', 'last-event-id', 'x-correlation-id', 'x-newsroom-tool'];

const list = (header: string | null) =>
  (header ?? '')
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== '');

let store: EmbeddedStore;
let api: RunningApi;

beforeAll(async () => {
  store = await startEmbeddedStore({ memory: true, port: 0 });
  api = await startApi({ connectionString: store.connectionString, tokens: TOKENS_ENV, port: 0, corsOrigins: [DESK] });
});

afterAll(async () => {
  await api?.stop();
  await store?.stop();
});

describe('with NEWSROOM_CORS_ORIGINS listing the desk', () => {
  it('when the desk page sends a preflight for a post, without a token, then 204 allows the method and every header it needs', async () => {
    const answer = await send(api, 'OPTIONS', '/stories/any-story/events', undefined, {
      token: null,
      headers: { origin: DESK, 'access-control-request-method': 'POST', 'access-control-request-headers': REQUESTED.join(',') },
    });

    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(DESK);
    expect(list(answer.headers.get('access-control-allow-methods'))).toEqual(expect.arrayContaining(['get', 'post']));
    expect(list(answer.headers.get('access-control-allow-headers'))).toEqual(expect.arrayContaining(REQUESTED));
    expect(list(answer.headers.get('vary'))).toContain('origin');
  });

  it('when the desk page posts and reads, then each answer names its origin and exposes ETag, Location, Idempotent-Replayed, Retry-After and RateLimit-*', async () => {
    const storyId = freshStoryId('cors');
    const posted = await postEvents(api, storyId, SEED_STORY_EVENTS[0], { headers: { origin: DESK }, idempotencyKey: 'cors-1' });
    const replayed = await postEvents(api, storyId, SEED_STORY_EVENTS[0], { headers: { origin: DESK }, idempotencyKey: 'cors-1' });
    const read = await send(api, 'GET', `/stories/${storyId}?minPosition=${posted.body.position}`, undefined, {
      token: TOKENS.reader,
      headers: { origin: DESK },
    });

    expect([posted.status, replayed.status, read.status]).toEqual([201, 201, 200]);
    for (const answer of [posted, replayed, read]) {
      expect(answer.headers.get('access-control-allow-origin')).toBe(DESK);
      expect(list(answer.headers.get('access-control-expose-headers'))).toEqual(expect.arrayContaining(EXPOSED));
    }
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
  });

  it('when the desk page follows /stream with its token in a header, then the event stream names its origin and exposes Retry-After', async () => {
    const abort = new AbortController();
    try {
      const response = await fetch(`${api.url}/stream`, { headers: { origin: DESK, authorization: `Bearer ${TOKENS.reader}` }, signal: abort.signal });

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(response.headers.get('access-control-allow-origin')).toBe(DESK);
      expect(list(response.headers.get('access-control-expose-headers'))).toEqual(expect.arrayContaining(EXPOSED));
      expect(list(response.headers.get('vary'))).toContain('origin');
    } finally {
      abort.abort();
    }
  });

  it('when the desk page sends a wrong token, then the 401 carries the CORS headers, so the page can tell the user', async () => {
    const answer = await send(api, 'GET', '/session', undefined, { token: 'wrong-token', headers: { origin: DESK } });

    expectProblem(answer, 401);
    expect(answer.headers.get('access-control-allow-origin')).toBe(DESK);
  });

  it('when a page of another origin calls with a valid token, then the answer carries no CORS header: its browser hides it', async () => {
    const answer = await send(api, 'GET', '/session', undefined, { token: TOKENS.reader, headers: { origin: STRANGER } });

    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(answer.headers.get('access-control-expose-headers')).toBeNull();
  });

  it('when a page of another origin sends a preflight, then it is not allowed', async () => {
    const answer = await send(api, 'OPTIONS', '/stories/any-story/events', undefined, {
      token: null,
      headers: { origin: STRANGER, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });

    expect(answer.status).not.toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(answer.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('when an OPTIONS request is not a preflight and has no token, then it is refused like any other', async () => {
    expectProblem(await send(api, 'OPTIONS', '/stories', undefined, { token: null }), 401);
  });
});

describe('with the desk allowed and a token past its rate limit', () => {
  let limitedStore: EmbeddedStore;
  let limited: RunningApi;

  beforeAll(async () => {
    limitedStore = await startEmbeddedStore({ memory: true, port: 0 });
    limited = await startApi({
      connectionString: limitedStore.connectionString,
      tokens: TOKENS_ENV,
      port: 0,
      corsOrigins: [DESK],
      rateLimits: { reads: { max: 1, windowMs: 10 * 60_000 } },
    });
  });

  afterAll(async () => {
    await limited?.stop();
    await limitedStore?.stop();
  });

  it('when the desk page is refused with 429, then the page can read the refusal, its Retry-After and its RateLimit-* headers', async () => {
    const first = await send(limited, 'GET', '/session', undefined, { token: TOKENS.reader, headers: { origin: DESK } });
    const refused = await send(limited, 'GET', '/session', undefined, { token: TOKENS.reader, headers: { origin: DESK } });

    expect(first.status).toBe(200);
    expectProblem(refused, 429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(refused.headers.get('access-control-allow-origin')).toBe(DESK);
    expect(list(refused.headers.get('access-control-expose-headers'))).toEqual(expect.arrayContaining(EXPOSED));
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
  });
});

describe('without NEWSROOM_CORS_ORIGINS', () => {
  const newsroom = useNewsroom();

  it('when any page calls or sends a preflight, then no CORS header is given', async () => {
    const call = await send(newsroom, 'GET', '/session', undefined, { token: TOKENS.reader, headers: { origin: DESK } });
    const preflight = await send(newsroom, 'OPTIONS', '/session', undefined, {
      token: null,
      headers: { origin: DESK, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });

    expect(call.status).toBe(200);
    for (const answer of [call, preflight]) expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.status).not.toBe(204);
    expect((await get(newsroom, '/session', TOKENS.reader)).status).toBe(200);
  });
});
