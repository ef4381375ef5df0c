// One Idempotency-Key, many posts at once over two different bodies: exactly one body is
// recorded, every post of that body answers 201 (one plainly, the others as replays), every
// post of the other body answers 422, and no 201 stands for events that are not in the log.
// With one api, with two api programs on one store, and across a restart of the api.
import type { ChildProcess } from 'node:child_process';
import { EventStoreDBClient } from '@eventstore/db-client';
import { type EmbeddedStore, startEmbeddedStore } from '@newsroom/esdb-server';
import { startApi } from '../src/bootstrap';
import { type Answer, type ApiTarget, expectProblem, freshStoryId, postEvents, readStory, TOKENS_ENV, useNewsroom } from './support/api.harness';
import { killed, startApiProgram } from './support/api.program';

jest.setTimeout(120_000);

const ROUNDS = 20;
const POSTS_PER_ROUND = 50;

const opening = {
  type: 'ReportPublished',
  data: {
    reportId: 'wire-acme-globex',
    outlet: 'Newswire',
    headline: 'Acme and Globex in merger talks',
    language: 'en',
    publishedAt: '2025-03-03T08:00:00Z',
    claims: [{ claimId: 'merger-talks', statement: 'Acme and Globex have discussed a merger.', about: ['acme', 'globex'] }],
  },
};

const denialBy = (companyId: string, companyName: string) => ({
  type: 'CompanyDenied',
  data: {
    companyId,
    companyName,
    statement: `${companyName} is not in talks with anyone.`,
    language: 'en',
    deniedAt: '2025-03-03T12:00:00Z',
    refutes: ['merger-talks'],
  },
});

const BODIES = [denialBy('acme', 'Acme Corporation'), denialBy('globex', 'Globex')] as const;

interface Posted {
  readonly body: number;
  readonly answer: Answer;
}

async function openStory(api: ApiTarget, storyId: string): Promise<void> {
  const answer = await postEvents(api, storyId, opening);
  expect(answer.status).toBe(201);
}

/** POSTS_PER_ROUND posts at once under one key, alternating the two bodies and the apis. */
function race(apis: readonly ApiTarget[], storyId: string, key: string): Promise<Posted[]> {
  return Promise.all(
    Array.from({ length: POSTS_PER_ROUND }, async (_, index) => {
      const body = index % 2;
      const answer = await postEvents(apis[Math.floor(index / 2) % apis.length]!, storyId, BODIES[body], { idempotencyKey: key });
      return { body, answer };
    }),
  );
}

/** What the issue asks of one round, checked against the log as an auditor reads it. */
async function expectOneBodyRecorded(client: EventStoreDBClient, storyId: string, posted: readonly Posted[]): Promise<void> {
  const history = await readStory(client, storyId);
  // The opening report and one denial: one body recorded, once.
  expect(history.map((event) => event.type)).toEqual(['ReportPublished', 'CompanyDenied']);
  const recorded = history[1]!;
  const winner = BODIES.findIndex((body) => JSON.stringify(body.data) === JSON.stringify(recorded.data));
  expect(winner).toBeGreaterThanOrEqual(0);

  for (const { body, answer } of posted) {
    if (body === winner) {
      expect({ status: answer.status, text: answer.text }).toEqual({ status: 201, text: expect.any(String) });
      // Every 201 names events that are in the log, with the data that was posted.
      expect(answer.body).toEqual({ storyId, revision: 1, position: String(recorded.position), eventIds: [recorded.id] });
    } else {
      expectProblem(answer, 422);
      expect(answer.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    }
  }
  const created = posted.filter(({ answer }) => answer.status === 201);
  expect(created.length).toBe(POSTS_PER_ROUND / 2);
  // The post that wrote answers plainly; the others learn that it was done before them.
  expect(created.filter(({ answer }) => answer.headers.get('idempotent-replayed') === null)).toHaveLength(1);
  expect(created.filter(({ answer }) => answer.headers.get('idempotent-replayed') === 'true')).toHaveLength(created.length - 1);
}

describe('one api', () => {
  const newsroom = useNewsroom();

  it(`records exactly one body when ${POSTS_PER_ROUND} posts race under one key with two bodies, ${ROUNDS} rounds`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const storyId = freshStoryId('idem-race');
      await openStory(newsroom, storyId);
      const posted = await race([newsroom], storyId, 'same-key');
      await expectOneBodyRecorded(newsroom.client, storyId, posted);
    }
  });

  it('takes the same events with their keys in another order, or one event as a one-element array, as the same request', async () => {
    const storyId = freshStoryId('idem-canonical');
    await openStory(newsroom, storyId);
    const [acme, globex] = BODIES;
    const first = await postEvents(newsroom, storyId, acme, { idempotencyKey: 'canonical' });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    // The same denial, its keys written in reverse order at every level, as raw JSON.
    const reordered = `{"data":{"refutes":["merger-talks"],"deniedAt":"2025-03-03T12:00:00Z","language":"en","statement":"Acme Corporation is not in talks with anyone.","companyName":"Acme Corporation","companyId":"acme"},"type":"CompanyDenied"}`;
    expect(JSON.parse(reordered)).toEqual(acme);
    for (const retry of [reordered, [acme], `[${reordered}]`]) {
      const answer = await postEvents(newsroom, storyId, retry, { idempotencyKey: 'canonical' });
      expect({ status: answer.status, replayed: answer.headers.get('idempotent-replayed') }).toEqual({ status: 201, replayed: 'true' });
      expect(answer.body).toEqual(first.body);
    }
    // Anything else under the key is another request.
    for (const other of [globex, [acme, acme], { ...acme, data: { ...acme.data, statement: 'Acme is not in talks.' } }]) {
      const answer = await postEvents(newsroom, storyId, other, { idempotencyKey: 'canonical' });
      expectProblem(answer, 422);
      expect(answer.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    }
    expect((await readStory(newsroom.client, storyId)).map((event) => event.type)).toEqual(['ReportPublished', 'CompanyDenied']);
  });

  it('answers a retry of several events in another key order as a replay, and the same events in another order with 422', async () => {
    const storyId = freshStoryId('idem-canonical-array');
    await openStory(newsroom, storyId);
    const [acme, globex] = BODIES;
    const first = await postEvents(newsroom, storyId, [acme, globex], { idempotencyKey: 'both' });
    expect(first.status).toBe(201);
    const reversed = (event: (typeof BODIES)[number]) => ({ data: Object.fromEntries(Object.entries(event.data).reverse()), type: event.type });
    const retry = await postEvents(newsroom, storyId, [reversed(acme), reversed(globex)], { idempotencyKey: 'both' });
    expect({ status: retry.status, replayed: retry.headers.get('idempotent-replayed'), body: retry.body }).toEqual({
      status: 201,
      replayed: 'true',
      body: first.body,
    });
    expectProblem(await postEvents(newsroom, storyId, [globex, acme], { idempotencyKey: 'both' }), 422);
    expect(await readStory(newsroom.client, storyId)).toHaveLength(3);
  });
});

describe('across a restart of the api on the same store', () => {
  let store: EmbeddedStore;
  let client: EventStoreDBClient;

  beforeAll(async () => {
    store = await startEmbeddedStore({ memory: true, port: 0 });
    client = EventStoreDBClient.connectionString(store.connectionString);
  });

  afterAll(async () => {
    await client?.dispose();
    await store?.stop();
  });

  it('answers the retry as the first answer, and another body under the key with 422', async () => {
    const storyId = freshStoryId('idem-restart');
    const [acme, globex] = BODIES;
    const before = await startApi({ connectionString: store.connectionString, tokens: TOKENS_ENV, port: 0 });
    let first: Answer;
    try {
      await openStory(before, storyId);
      first = await postEvents(before, storyId, acme, { idempotencyKey: 'across-restart' });
      expect(first.status).toBe(201);
    } finally {
      await before.stop();
    }

    const after = await startApi({ connectionString: store.connectionString, tokens: TOKENS_ENV, port: 0 });
    try {
      const retry = await postEvents(after, storyId, [acme], { idempotencyKey: 'across-restart' });
      expect({ status: retry.status, replayed: retry.headers.get('idempotent-replayed'), body: retry.body }).toEqual({
        status: 201,
        replayed: 'true',
        body: first.body,
      });
      expectProblem(await postEvents(after, storyId, globex, { idempotencyKey: 'across-restart' }), 422);
    } finally {
      await after.stop();
    }
    expect((await readStory(client, storyId)).map((event) => event.type)).toEqual(['ReportPublished', 'CompanyDenied']);
  });
});

describe('two api programs on one store', () => {
  let store: EmbeddedStore;
  let client: EventStoreDBClient;
  const programs: ChildProcess[] = [];
  let apis: ApiTarget[];

  beforeAll(async () => {
    store = await startEmbeddedStore({ memory: true, port: 0 });
    client = EventStoreDBClient.connectionString(store.connectionString);
    const started = await Promise.all([0, 1].map(() => startApiProgram({ EVENTSTORE_CONNECTION_STRING: store.connectionString })));
    programs.push(...started.map((program) => program.child));
    apis = started.map((program) => ({ url: program.url }));
  });

  afterAll(async () => {
    await Promise.all(programs.map((child) => killed(child, 'SIGTERM')));
    await client?.dispose();
    await store?.stop();
  });

  it(`records exactly one body when ${POSTS_PER_ROUND} posts race under one key over both apis, ${ROUNDS} rounds`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const storyId = freshStoryId('idem-two-apis');
      await openStory(apis[round % 2]!, storyId);
      const posted = await race(apis, storyId, `round-${round}`);
      await expectOneBodyRecorded(client, storyId, posted);
    }
  });
});
