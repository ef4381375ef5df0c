// Smoke tests of the intake over real HTTP, against the embedded store through the real
// client: the api's own pieces fit together. The full route and error matrix lives in
// the other e2e specs.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { SEED_STORY_EVENTS } from '@newsroom/domain';
import { startEmbeddedStore, type EmbeddedStore } from '@newsroom/esdb-server';
import { type RunningApi, startApi } from '../src/bootstrap';

const WRITER = 'smoke-writer';
const READER = 'smoke-reader';

let store: EmbeddedStore;
let api: RunningApi;
let stories = 0;

beforeAll(async () => {
  store = await startEmbeddedStore({ memory: true, port: 0 });
  api = await startApi({ connectionString: store.connectionString, tokens: `${WRITER}=writer,${READER}=reader`, port: 0, logger: false });
});

afterAll(async () => {
  await api?.stop();
  await store?.stop();
});

function storyId(): string {
  stories += 1;
  return `smoke-${process.pid}-${stories}`;
}

async function post(
  id: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(`${api.url}/stories/${id}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${WRITER}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

const [report, sources, followUp, fordDenial, xiaomiDenial] = SEED_STORY_EVENTS;

describe('the intake, end to end', () => {
  it('answers /health and the docs without a token, and nothing else', async () => {
    const health = await fetch(`${api.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', store: { status: 'up' } });
    const anonymous = await fetch(`${api.url}/stories/x/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await fetch(`${api.url}/session`)).status).toBe(401);
    const docs = await fetch(`${api.url}/docs/json`);
    expect(docs.status).toBe(200);
    expect(JSON.stringify(await docs.json())).toContain('/stories/{storyId}/events');
  });

  it('on one keep-alive connection, each request is judged by its own token', async () => {
    // The hook remembers the header a connection last authenticated with: a later request
    // on that same socket with another token, or none, must still be refused.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (authorization?: string) =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const request = http.get(`${api.url}/session`, { agent, headers: authorization === undefined ? {} : { authorization } }, (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode!, reused: request.reusedSocket }));
        });
        request.on('error', reject);
      });
    try {
      const answers = [
        await get(`Bearer ${READER}`),
        await get('Bearer not-a-token'),
        await get(),
        await get(`Bearer ${READER}x`),
        await get(`Bearer ${READER}`),
      ];
      expect(answers.map((answer) => answer.status)).toEqual([200, 401, 401, 401, 200]);
      expect(answers.slice(1).every((answer) => answer.reused)).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it('records the seed story and answers with revision, position, event ids and an ETag', async () => {
    const id = storyId();
    const first = await post(id, [report, sources]);
    expect(first.status).toBe(201);
    expect(first.headers.get('etag')).toBe('"1"');
    expect(first.body).toEqual({ storyId: id, revision: 1, position: expect.stringMatching(/^\d+$/), eventIds: [expect.any(String), expect.any(String)] });
    const rest = await post(id, [followUp, fordDenial, xiaomiDenial], { 'if-match': '"1"' });
    expect(rest.status).toBe(201);
    expect(rest.body.revision).toBe(4);
    expect(BigInt(rest.body.position as string)).toBeGreaterThan(BigInt(first.body.position as string));
  });

  it('answers a retried post as the first time and writes nothing new; another body under the key is 422', async () => {
    const id = storyId();
    const first = await post(id, report, { 'idempotency-key': 'retry-1' });
    const retry = await post(id, report, { 'idempotency-key': 'retry-1' });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const next = await post(id, sources);
    expect(next.body.revision).toBe(1);
    const reused = await post(id, fordDenial, { 'idempotency-key': 'retry-1' });
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('refuses with one Problem Details shape: 400, 403, 404, 409, 412, 413, 415', async () => {
    const id = storyId();
    const cases: [number, string, Promise<{ status: number; body: Record<string, unknown> }>][] = [
      [400, 'VALIDATION_FAILED', post(id, { type: 'ReportPublished', data: { reportId: 'x' } })],
      [400, 'INVALID_JSON', post(id, '{"type": ')],
      [404, 'STORY_NOT_FOUND', post(id, sources)],
      [413, 'PAYLOAD_TOO_LARGE', post(id, { type: 'ReportPublished', data: { headline: 'x'.repeat(2 * 1024 * 1024) } })],
    ];
    for (const [status, code, answer] of cases) {
      expect(await answer).toMatchObject({ status, body: { status, code, type: expect.any(String), title: expect.any(String) } });
    }
    expect(await post(id, report)).toMatchObject({ status: 201 });
    expect(await post(id, report)).toMatchObject({ status: 409, body: { code: 'REPORT_ALREADY_EXISTS' } });
    expect(await post(id, sources, { 'if-match': '7' })).toMatchObject({ status: 412, body: { code: 'REVISION_MISMATCH' } });
    expect(await post(id, 'report', { 'content-type': 'text/plain' })).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    const forbidden = await fetch(`${api.url}/stories/${id}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${READER}`, 'content-type': 'application/json' },
      body: JSON.stringify(sources),
    });
    expect(forbidden.status).toBe(403);
  });
});

describe('without its store', () => {
  it('answers 503 with Retry-After, and /health reports the store down', async () => {
    const lonelyStore = await startEmbeddedStore({ memory: true, port: 0 });
    const lonely = await startApi({ connectionString: lonelyStore.connectionString, tokens: `${WRITER}=writer`, port: 0, logger: false });
    try {
      expect((await fetch(`${lonely.url}/health`)).status).toBe(200);
      await lonelyStore.stop();
      const answer = await fetch(`${lonely.url}/stories/${storyId()}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${WRITER}`, 'content-type': 'application/json' },
        body: JSON.stringify(report),
      });
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(await answer.json()).toMatchObject({ status: 503, code: 'STORE_UNAVAILABLE' });
      const health = await fetch(`${lonely.url}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ code: 'STORE_UNAVAILABLE', store: { status: 'down' } });
    } finally {
      await lonely.stop();
    }
  });
});

describe('two api processes on one store', () => {
  it('never decides on a stale view of a story: the other replica’s writes are read before deciding', async () => {
    const other = await startApi({ connectionString: store.connectionString, tokens: `${WRITER}=writer`, port: 0, logger: false });
    try {
      const id = storyId();
      const postTo = async (url: string, body: unknown) => {
        const response = await fetch(`${url}/stories/${id}/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${WRITER}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      expect(await postTo(api.url, report)).toMatchObject({ status: 201, body: { revision: 0 } });
      // The other replica adds the follow-up; this one has not seen it.
      expect(await postTo(other.url, followUp)).toMatchObject({ status: 201, body: { revision: 1 } });
      // Xiaomi's denial was read in the follow-up: only a state that knows it accepts the denial.
      expect(await postTo(api.url, xiaomiDenial)).toMatchObject({ status: 201, body: { revision: 2 } });
      expect(await postTo(other.url, fordDenial)).toMatchObject({ status: 201, body: { revision: 3 } });
      expect(await postTo(api.url, sources)).toMatchObject({ status: 201, body: { revision: 4 } });
      // And the same report twice is still a broken rule, from either side.
      expect(await postTo(other.url, report)).toMatchObject({ status: 409, body: { code: 'REPORT_ALREADY_EXISTS' } });
    } finally {
      await other.stop();
    }
  });
});

describe('with no connection string', () => {
  it('runs the embedded store itself, durable across a restart on the same data directory', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'intake-smoke-'));
    const id = storyId();
    const options = { tokens: `${WRITER}=writer`, port: 0, logger: false as const, embeddedStore: { dataDir, port: 0 } };
    try {
      const first = await startApi(options);
      try {
        expect(first.storeConnectionString).toMatch(/^esdb:\/\/127\.0\.0\.1:\d+\?tls=false$/);
        const answer = await fetch(`${first.url}/stories/${id}/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${WRITER}`, 'content-type': 'application/json' },
          body: JSON.stringify(report),
        });
        expect(answer.status).toBe(201);
      } finally {
        await first.stop();
      }
      const second = await startApi(options);
      try {
        const next = await fetch(`${second.url}/stories/${id}/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${WRITER}`, 'content-type': 'application/json', 'if-match': '0' },
          body: JSON.stringify(sources),
        });
        expect({ status: next.status, body: await next.json() }).toMatchObject({ status: 201, body: { revision: 1 } });
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
