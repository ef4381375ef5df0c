// What an operator sees of a running api over real HTTP: Prometheus metrics behind the
// metrics role that move with what the api does, one JSON log line per request with the
// caller's correlation id and never a token, and the orchestrator's probes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_STORY_EVENTS, type StoryEvent } from '@newsroom/domain';
import { EventStoreAdapter } from '@newsroom/event-store';
import { startEmbeddedStore } from '@newsroom/esdb-server';
import { type RunningApi, startApi } from '../src/bootstrap';
import type { StoryEventSource } from '../src/views/projection.runner';
import { TOKENS, TOKENS_ENV, expectProblem, freshStoryId, get, postEvents, send } from './support/api.harness';
import { LogCapture, sampleOf } from './support/observability.harness';

jest.setTimeout(60_000);

const report = SEED_STORY_EVENTS[0] as StoryEvent;
const METRICS_TOKEN = 'e2e-metrics-token';
const TOKENS_WITH_METRICS = `${TOKENS_ENV},${METRICS_TOKEN}=metrics`;

const METRIC_NAMES = [
  'newsroom_http_request_duration_seconds',
  'newsroom_events_recorded_total',
  'newsroom_append_duration_seconds',
  'newsroom_projection_position',
  'newsroom_projection_lag_events',
  'newsroom_sse_clients',
  'newsroom_idempotent_replays_total',
  'esdb_commit_batch_size',
  'esdb_fsync_duration_seconds',
  'esdb_appends_total',
  'process_cpu_seconds_total',
  'nodejs_eventloop_lag_seconds',
];

let dataDir: string;
let api: RunningApi;
const logs = new LogCapture();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'newsroom-observability-'));
  // The embedded store on disk, started by the api: its commits and syncs are measured.
  api = await startApi({
    embeddedStore: { dataDir, port: 0 },
    tokens: TOKENS_WITH_METRICS,
    port: 0,
    logLevel: 'info',
    logDestination: logs,
  });
});

afterAll(async () => {
  await api?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function scrape(): Promise<string> {
  const answer = await get(api, '/metrics', METRICS_TOKEN);
  expect(answer.status).toBe(200);
  return answer.text;
}

describe('GET /metrics', () => {
  it('when asked without a token, then 401', async () => {
    expectProblem(await get(api, '/metrics', null), 401);
  });

  it('when asked with a reader token, then 403', async () => {
    expectProblem(await get(api, '/metrics', TOKENS.reader), 403);
  });

  it('when asked with a metrics token, then 200 in Prometheus text with every documented name', async () => {
    const answer = await get(api, '/metrics', METRICS_TOKEN);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of METRIC_NAMES) expect({ name, present: answer.text.includes(`# TYPE ${name} `) }).toEqual({ name, present: true });
  });

  it('given ten posted events, then newsroom_events_recorded_total, esdb_appends_total and the 201 histogram each move by ten', async () => {
    const before = await scrape();
    for (let i = 0; i < 10; i++) expect((await postEvents(api, freshStoryId('metrics-ten'), report)).status).toBe(201);
    const after = await scrape();

    const moved = (name: string, labels: Record<string, string> = {}) => sampleOf(after, name, labels) - sampleOf(before, name, labels);
    expect(moved('newsroom_events_recorded_total', { type: 'ReportPublished' })).toBe(10);
    expect(moved('newsroom_events_recorded_total')).toBe(10);
    expect(moved('esdb_appends_total')).toBe(10);
    expect(moved('newsroom_append_duration_seconds_count', { outcome: 'recorded' })).toBe(10);
    expect(moved('newsroom_http_request_duration_seconds_count', { route: '/stories/:storyId/events', method: 'POST', status: '201' })).toBe(10);
    // On disk, every acknowledged append was synced: at least one timed sync, and commits that hold the ten.
    expect(moved('esdb_fsync_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(moved('esdb_commit_batch_size_sum')).toBeGreaterThanOrEqual(10);
  });

  it('given posts the views may not have applied yet, when a read waits for the last position, then the lag is 0 and the position is past it', async () => {
    for (let i = 0; i < 5; i++) expect((await postEvents(api, freshStoryId('metrics-lag'), report)).status).toBe(201);
    const storyId = freshStoryId('metrics-lag-last');
    const last = await postEvents(api, storyId, report);
    const position = last.body.position as string;

    expect((await get(api, `/stories/${storyId}?minPosition=${position}`)).status).toBe(200);
    const text = await scrape();

    expect(sampleOf(text, 'newsroom_projection_lag_events')).toBe(0);
    expect(sampleOf(text, 'newsroom_projection_position')).toBeGreaterThanOrEqual(Number(position));
  });

  it('given a post retried with the same Idempotency-Key, then newsroom_idempotent_replays_total moves by one and nothing more is recorded', async () => {
    const before = await scrape();
    const storyId = freshStoryId('metrics-replay');
    const first = await postEvents(api, storyId, report, { idempotencyKey: 'replay-key-1' });
    const again = await postEvents(api, storyId, report, { idempotencyKey: 'replay-key-1' });
    expect([first.status, again.status, again.headers.get('idempotent-replayed')]).toEqual([201, 201, 'true']);
    const after = await scrape();

    expect(sampleOf(after, 'newsroom_idempotent_replays_total') - sampleOf(before, 'newsroom_idempotent_replays_total')).toBe(1);
    expect(sampleOf(after, 'newsroom_events_recorded_total') - sampleOf(before, 'newsroom_events_recorded_total')).toBe(1);
  });

  it('given a client on the live feed, then newsroom_sse_clients counts it', async () => {
    const abort = new AbortController();
    const stream = await fetch(`${api.url}/stream`, { headers: { authorization: `Bearer ${TOKENS.reader}` }, signal: abort.signal });
    try {
      expect(stream.status).toBe(200);
      await stream.body!.getReader().read(); // the `ready` event: the client is registered
      expect(sampleOf(await scrape(), 'newsroom_sse_clients')).toBeGreaterThanOrEqual(1);
    } finally {
      abort.abort();
    }
  });
});

describe('the log', () => {
  it('when a writer posts with X-Correlation-Id, then one JSON line tells the request: ids, principal, route pattern, status, duration', async () => {
    const storyId = freshStoryId('logged');
    const answer = await postEvents(api, storyId, report, { headers: { 'x-correlation-id': 'desk-7.corr:42' } });
    expect(answer.status).toBe(201);

    const line = await logs.waitFor((entry) => entry.msg === 'request' && entry.correlationId === 'desk-7.corr:42');
    expect(line).toEqual(
      expect.objectContaining({
        level: 30,
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        principal: expect.stringMatching(/^token:[0-9a-f]{12}$/),
        method: 'POST',
        route: '/stories/:storyId/events',
        status: 201,
        durationMs: expect.any(Number),
      }),
    );
    // The route is the pattern: the story id (the raw URL) is not in the line.
    expect(JSON.stringify(line)).not.toContain(storyId);
    // The event records the request id as its causation: from an event to its request's line.
    const history = await get(api, `/stories/${storyId}/history`, TOKENS.auditor);
    expect(history.body.events[0]).toEqual(expect.objectContaining({ correlationId: 'desk-7.corr:42', causationId: line.requestId }));
  });

  it('given requests with good and bad tokens, then every captured line is JSON and none holds a token', async () => {
    await postEvents(api, freshStoryId('no-token-in-logs'), report);
    await get(api, '/stories', TOKENS.reader);
    await get(api, '/metrics', METRICS_TOKEN);
    await get(api, '/stories', 'not-a-token-but-secret-looking-9f8e7d');
    await send(api, 'POST', '/stories/x/events', '{not json', { token: TOKENS.writer });
    await logs.waitFor((entry) => entry.msg === 'request' && entry.status === 401);

    expect(logs.lines.length).toBeGreaterThan(5);
    for (const line of logs.lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    const secrets = [...Object.values(TOKENS), METRICS_TOKEN, 'not-a-token-but-secret-looking-9f8e7d'];
    for (const line of logs.lines) for (const secret of secrets) expect(line).not.toContain(secret);
  });
});

describe('the health probes', () => {
  it('when /health/live and /health/ready are asked without a token, then 200: the process answers, the store answers and the views are live', async () => {
    expect(await get(api, '/health/live', null)).toEqual(expect.objectContaining({ status: 200, body: { status: 'ok' } }));
    expect(await get(api, '/health/ready', null)).toEqual(expect.objectContaining({ status: 200, body: { status: 'ready', store: 'up', views: 'live' } }));
    // /health stays as it was.
    expect((await get(api, '/health', null)).body).toEqual(expect.objectContaining({ status: 'ok' }));
  });

  it('given an api whose views have not caught up yet, then /health/ready is 503 until they have', async () => {
    await postEvents(api, freshStoryId('ready-backlog'), report);
    const gated = gatedFeed(api.storeConnectionString);
    const starting = await startApi({ connectionString: api.storeConnectionString, tokens: TOKENS_WITH_METRICS, port: 0, views: { feed: gated.feed } });
    try {
      const holding = await get(starting, '/health/ready', null);
      expectProblem(holding, 503);
      expect(holding.body).toEqual(expect.objectContaining({ code: 'VIEWS_CATCHING_UP', store: 'up' }));
      expect(holding.headers.get('retry-after')).toBe('1');
      expect((await get(starting, '/health/live', null)).status).toBe(200);

      gated.release();
      expect(await until(async () => (await get(starting, '/health/ready', null)).status === 200)).toBe(true);
    } finally {
      gated.release();
      await starting.stop();
      await gated.close();
    }
  });

  it('given an api whose store has stopped, then /health/ready is 503 naming no address, and /health/live still 200', async () => {
    const store = await startEmbeddedStore({ memory: true, port: 0 });
    const alone = await startApi({ connectionString: store.connectionString, tokens: TOKENS_WITH_METRICS, port: 0 });
    try {
      expect(await until(async () => (await get(alone, '/health/ready', null)).status === 200)).toBe(true);
      await store.stop();

      const down = await get(alone, '/health/ready', null);
      expectProblem(down, 503);
      expect(down.body).toEqual(expect.objectContaining({ code: 'STORE_UNAVAILABLE', store: 'down' }));
      expect(down.text).not.toMatch(/127\.0\.0\.1|esdb:|localhost|:\d{4,5}\b/);
      expect((await get(alone, '/health/live', null)).status).toBe(200);
    } finally {
      await alone.stop();
      await store.stop();
    }
  });
});

/** The views' feed over the real store, holding every batch until released: a catch-up that has not finished. */
function gatedFeed(connectionString: string): { feed: StoryEventSource; release(): void; close(): Promise<void> } {
  const adapter = EventStoreAdapter.connect(connectionString);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  return {
    feed: {
      subscribeToStoryEvents(options) {
        const subscription = adapter.subscribeToStoryEvents(options);
        return {
          async nextBatch(max) {
            await gate;
            return subscription.nextBatch(max);
          },
          close: () => subscription.close(),
        };
      },
    },
    release,
    close: () => adapter.close(),
  };
}

/** Polls `check` (every 50 ms, at most `timeoutMs`) until it holds. */
async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
