// The whole program under test: the embedded store on a free loopback port, the api
// listening on another, and an EventStoreDB client of our own to look at the log the way
// an auditor would. Tests talk to the api over real HTTP with Node's fetch.
import { createServer } from 'node:net';
import { BACKWARDS, END, EventStoreDBClient, FORWARDS, START } from '@eventstore/db-client';
import { startEmbeddedStore } from '@newsroom/esdb-server';
import { type ApiOptions, startApi } from '../../src/bootstrap';

export const TOKENS = {
  writer: 'e2e-writer-token',
  reader: 'e2e-reader-token',
  auditor: 'e2e-auditor-token',
  editor: 'e2e-editor-token', // writer and reader at once
} as const;

export const TOKENS_ENV = `${TOKENS.writer}=writer,${TOKENS.reader}=reader,${TOKENS.auditor}=auditor,${TOKENS.editor}=writer+reader`;

export interface Newsroom {
  url: string;
  client: EventStoreDBClient;
  /** Stops the store under the running api (to see how the api answers without it). */
  stopStore(): Promise<void>;
  stop(): Promise<void>;
}

/** The api's settings a test may change (the test tokens and no rate limits by default). */
export type NewsroomOptions = Pick<ApiOptions, 'tokens' | 'rateLimits'>;

export async function startNewsroom(options: NewsroomOptions = {}): Promise<Newsroom> {
  const store = await startEmbeddedStore({ memory: true, port: 0 });
  const api = await startApi({ connectionString: store.connectionString, tokens: TOKENS_ENV, port: 0, ...options });
  const client = EventStoreDBClient.connectionString(store.connectionString);
  let storeStopped = false;
  return {
    url: api.url.replace(/\/$/, ''),
    client,
    async stopStore() {
      if (storeStopped) return;
      storeStopped = true;
      await store.stop();
    },
    async stop() {
      await client.dispose();
      await api.stop();
      if (!storeStopped) {
        storeStopped = true;
        await store.stop();
      }
    },
  };
}

/**
 * A newsroom for the tests of one file: started before them, stopped after them. The
 * returned object is filled in by the time the first test runs.
 */
export function useNewsroom(options: NewsroomOptions = {}): Newsroom {
  const newsroom = {} as Newsroom;
  beforeAll(async () => {
    Object.assign(newsroom, await startNewsroom(options));
  });
  afterAll(async () => {
    await newsroom.stop?.();
  });
  return newsroom;
}

// ---------------------------------------------------------------- HTTP

/** Any running api: the harness's newsroom, or one a test started itself. */
export type ApiTarget = Pick<Newsroom, 'url'>;

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface PostOptions {
  token?: string | null; // null: no Authorization header at all
  authorization?: string; // a raw Authorization header, for malformed schemes
  ifMatch?: string;
  idempotencyKey?: string;
  contentType?: string | null; // null: no Content-Type header
  headers?: Record<string, string>;
}

/** Posts `body` (serialised as JSON unless it is already a string or bytes) to a story's events. */
export function postEvents(newsroom: ApiTarget, storyId: string, body: unknown, options: PostOptions = {}): Promise<Answer> {
  return send(newsroom, 'POST', `/stories/${encodeURIComponent(storyId)}/events`, body, options);
}

export async function send(newsroom: ApiTarget, method: string, path: string, body: unknown, options: PostOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? TOKENS.writer : options.token;
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  else if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
  if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
  let payload: string | Uint8Array | undefined;
  if (body !== undefined) {
    // Bytes make fetch add no Content-Type of its own, so the test decides it.
    payload = body instanceof Uint8Array ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
    if (contentType !== null) headers['content-type'] = contentType;
  }
  const response = await fetch(`${newsroom.url}${path}`, { method, headers, body: payload });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

export function get(newsroom: ApiTarget, path: string, token: string | null = TOKENS.reader): Promise<Answer> {
  return send(newsroom, 'GET', path, undefined, { token });
}

/**
 * Every refusal is one RFC 7807 Problem Details body: `application/problem+json`,
 * with `type`, `title`, a `status` equal to the HTTP status, and the api's stable `code`.
 */
export function expectProblem(answer: Answer, status: number): void {
  const context = `${answer.status} ${answer.text.slice(0, 400)}`;
  expect({ status: answer.status, context }).toEqual({ status, context });
  expect(answer.headers.get('content-type') ?? '').toMatch(/^application\/problem\+json\b/);
  expect(answer.body).toEqual(expect.objectContaining({ type: expect.any(String), title: expect.any(String), status, code: expect.any(String) }));
}

// ---------------------------------------------------------------- the log

export interface LogMark {
  count: number;
  lastPosition: bigint | null;
}

/** How much `$all` holds: every event (nothing excluded) and the last commit position. */
export async function markLog(client: EventStoreDBClient): Promise<LogMark> {
  let count = 0;
  for await (const _ of client.readAll({ direction: FORWARDS, fromPosition: START })) count += 1;
  let lastPosition: bigint | null = null;
  for await (const resolved of client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
    lastPosition = resolved.commitPosition ?? resolved.event?.position?.commit ?? null;
  }
  return { count, lastPosition };
}

export interface RecordedEvent {
  id: string;
  type: string;
  revision: bigint;
  position: bigint | undefined;
  data: unknown;
  metadata: unknown;
}

/** The events of `story-<storyId>` as the store holds them ([] when the stream does not exist). */
export async function readStory(client: EventStoreDBClient, storyId: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  try {
    for await (const resolved of client.readStream(`story-${storyId}`, { direction: FORWARDS, fromRevision: START })) {
      const event = resolved.event;
      if (!event) continue;
      events.push({
        id: event.id,
        type: event.type,
        revision: event.revision,
        position: event.position?.commit,
        data: event.data,
        metadata: event.metadata,
      });
    }
  } catch (error) {
    if ((error as { type?: string }).type === 'stream-not-found') return [];
    throw error;
  }
  return events;
}

let storyCounter = 0;
/** A story id no other test in this process uses. */
export function freshStoryId(name: string): string {
  storyCounter += 1;
  return `${name}-${process.pid}-${storyCounter}`;
}

/** A loopback port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
