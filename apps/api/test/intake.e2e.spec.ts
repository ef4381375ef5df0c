// Intake over real HTTP: a newsroom tool posts the Ford–Xiaomi story and the api records it
// in EventStoreDB (the embedded store, reached through the real client).
import { MAX_EVENTS_PER_POST, SEED_STORY_EVENTS, type StoryEvent } from '@newsroom/domain';
import { TOKENS, expectProblem, freshStoryId, markLog, postEvents, readStory, type Answer, useNewsroom } from './support/api.harness';

jest.setTimeout(30_000);

const newsroom = useNewsroom();

const [ftReport, ...rest] = SEED_STORY_EVENTS;

function expectRecorded(answer: Answer, storyId: string, revision: number, eventCount: number): void {
  expect({ status: answer.status, body: answer.body }).toEqual({
    status: 201,
    body: {
      storyId,
      revision,
      position: expect.stringMatching(/^\d+$/),
      eventIds: expect.any(Array),
    },
  });
  expect(answer.body.eventIds).toHaveLength(eventCount);
  for (const id of answer.body.eventIds) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  // The ETag names the revision the story is now at, ready for the next If-Match.
  expect(answer.headers.get('etag') ?? '').toMatch(new RegExp(`^(W/)?"?${revision}"?$`));
}

describe('given no story yet', () => {
  it('when the Financial Times report is posted, then it opens the story at revision 0 and is stored as posted', async () => {
    const storyId = freshStoryId('ford-xiaomi');
    const before = await markLog(newsroom.client);

    const answer = await postEvents(newsroom, storyId, ftReport);

    expectRecorded(answer, storyId, 0, 1);
    expect(await markLog(newsroom.client)).toEqual({ count: before.count + 1, lastPosition: BigInt(answer.body.position) });
    const stored = await readStory(newsroom.client, storyId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toEqual(expect.objectContaining({ id: answer.body.eventIds[0], type: 'ReportPublished', revision: 0n, data: ftReport.data }));
    expect(stored[0].position).toBe(BigInt(answer.body.position));
    // Audit needs to know who recorded what, when, and in answer to which request.
    expect(stored[0].metadata).toEqual(
      expect.objectContaining({
        $correlationId: expect.any(String),
        $causationId: expect.any(String),
        recordedBy: expect.any(String),
        recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      }),
    );
    // The principal is named, but the secret that proves it never enters the log.
    expect((stored[0].metadata as { recordedBy: string }).recordedBy).not.toBe('');
    expect(JSON.stringify(stored[0].metadata)).not.toContain(TOKENS.writer);
  });

  it('when a tool names itself and its workflow, then every event of the post carries them in its metadata', async () => {
    const storyId = freshStoryId('correlated');
    const headers = { 'x-newsroom-tool': 'wire-desk/2.1', 'x-correlation-id': `ford-xiaomi-desk-${storyId}` };

    const answer = await postEvents(newsroom, storyId, SEED_STORY_EVENTS.slice(0, 2), { headers });

    expectRecorded(answer, storyId, 1, 2);
    const stored = await readStory(newsroom.client, storyId);
    for (const event of stored) {
      expect(event.metadata).toEqual(expect.objectContaining({ $correlationId: headers['x-correlation-id'], tool: 'wire-desk/2.1' }));
    }
  });

  it('when the body is declared as application/json with a charset, then it is recorded', async () => {
    const storyId = freshStoryId('charset');
    expectRecorded(await postEvents(newsroom, storyId, ftReport, { contentType: 'application/json; charset=utf-8' }), storyId, 0, 1);
  });

  it('when a story id of 128 characters (the longest slug) is used, then the story opens', async () => {
    const storyId = `ford-xiaomi-${'x'.repeat(128 - 'ford-xiaomi-'.length)}`;

    const answer = await postEvents(newsroom, storyId, ftReport);

    expectRecorded(answer, storyId, 0, 1);
  });

  it('when the whole seed story is posted event by event, in order, then every post is recorded at the next revision', async () => {
    const storyId = freshStoryId('ford-xiaomi');
    let lastPosition = -1n;

    for (const [index, event] of SEED_STORY_EVENTS.entries()) {
      const answer = await postEvents(newsroom, storyId, event);
      expectRecorded(answer, storyId, index, 1);
      expect(BigInt(answer.body.position)).toBeGreaterThan(lastPosition);
      lastPosition = BigInt(answer.body.position);
    }

    const stored = await readStory(newsroom.client, storyId);
    expect(stored.map((e) => ({ type: e.type, data: e.data }))).toEqual(SEED_STORY_EVENTS.map((e) => ({ type: e.type, data: e.data })));
  });

  it('when the whole seed story is posted as one array, then it is recorded at once and the answer names the last event', async () => {
    const storyId = freshStoryId('ford-xiaomi');

    const answer = await postEvents(newsroom, storyId, SEED_STORY_EVENTS);

    expectRecorded(answer, storyId, SEED_STORY_EVENTS.length - 1, SEED_STORY_EVENTS.length);
    const stored = await readStory(newsroom.client, storyId);
    expect(stored.map((e) => e.id)).toEqual(answer.body.eventIds);
    expect(stored[stored.length - 1].position).toBe(BigInt(answer.body.position));
  });

  it.each(rest.filter((event) => event.type !== 'ReportPublished').map((event) => [event.type, event] as const))(
    'when a %s is posted first, then 404 unknown story and nothing is written',
    async (_type, event) => {
      const storyId = freshStoryId('nowhere');
      const before = await markLog(newsroom.client);

      const answer = await postEvents(newsroom, storyId, event);

      expectProblem(answer, 404);
      expect(answer.body.code).toBe('STORY_NOT_FOUND');
      expect(await markLog(newsroom.client)).toEqual(before);
    },
  );
});

describe('given the seed story up to the report and its sources', () => {
  it('when the same post is retried with the same Idempotency-Key, then the first answer comes back and nothing new is written', async () => {
    const storyId = freshStoryId('retry');
    await postEvents(newsroom, storyId, ftReport);
    const denial = SEED_STORY_EVENTS.find((e) => e.type === 'CompanyDenied') as StoryEvent;
    const key = `deny-${storyId}`;

    const first = await postEvents(newsroom, storyId, denial, { idempotencyKey: key });
    const afterFirst = await markLog(newsroom.client);
    const retry = await postEvents(newsroom, storyId, denial, { idempotencyKey: key });

    expectRecorded(first, storyId, 1, 1);
    expect({ status: retry.status, body: retry.body }).toEqual({ status: first.status, body: first.body });
    expect(await markLog(newsroom.client)).toEqual(afterFirst);
    expect(await readStory(newsroom.client, storyId)).toHaveLength(2);
  });

  it('when an array is retried with the same Idempotency-Key, then it is not written twice', async () => {
    const storyId = freshStoryId('retry-array');
    const key = `seed-${storyId}`;

    const first = await postEvents(newsroom, storyId, SEED_STORY_EVENTS, { idempotencyKey: key });
    const afterFirst = await markLog(newsroom.client);
    const retry = await postEvents(newsroom, storyId, SEED_STORY_EVENTS, { idempotencyKey: key });

    expectRecorded(first, storyId, SEED_STORY_EVENTS.length - 1, SEED_STORY_EVENTS.length);
    expect({ status: retry.status, body: retry.body }).toEqual({ status: first.status, body: first.body });
    expect(await markLog(newsroom.client)).toEqual(afterFirst);
  });

  it('when a desk retries after another desk has recorded an event in between, then the first answer comes back and nothing is written twice', async () => {
    const storyId = freshStoryId('retry-late');
    const [report, source, followUp] = SEED_STORY_EVENTS;
    await postEvents(newsroom, storyId, report);
    const key = `late-${storyId}`;
    const first = await postEvents(newsroom, storyId, source, { idempotencyKey: key });
    expectRecorded(first, storyId, 1, 1);
    expectRecorded(await postEvents(newsroom, storyId, followUp), storyId, 2, 1);
    const before = await markLog(newsroom.client);

    const retry = await postEvents(newsroom, storyId, source, { idempotencyKey: key });

    expect({ status: retry.status, body: retry.body }).toEqual({ status: first.status, body: first.body });
    expect(await markLog(newsroom.client)).toEqual(before);
    expect((await readStory(newsroom.client, storyId)).map((e) => e.type)).toEqual(['ReportPublished', 'SourceCited', 'ReportPublished']);
  });

  it('when the same post is sent four times at once with one Idempotency-Key, then it is written once and every answer is the same', async () => {
    const storyId = freshStoryId('retry-burst');
    await postEvents(newsroom, storyId, ftReport);
    const key = `burst-${storyId}`;

    const answers = await Promise.all(Array.from({ length: 4 }, () => postEvents(newsroom, storyId, SEED_STORY_EVENTS[1], { idempotencyKey: key })));

    expect(await readStory(newsroom.client, storyId)).toHaveLength(2);
    for (const answer of answers) expect({ status: answer.status, body: answer.body }).toEqual({ status: answers[0].status, body: answers[0].body });
    expectRecorded(answers[0], storyId, 1, 1);
  });

  it('when a refused post is retried with its Idempotency-Key, then it is refused again and nothing is written', async () => {
    const storyId = freshStoryId('retry-refused');
    await postEvents(newsroom, storyId, ftReport);
    const before = await markLog(newsroom.client);
    const options = { idempotencyKey: `refused-${storyId}` };

    const first = await postEvents(newsroom, storyId, ftReport, options);
    const retry = await postEvents(newsroom, storyId, ftReport, options);

    expectProblem(first, 409);
    expectProblem(retry, 409);
    expect(retry.body.code).toBe('REPORT_ALREADY_EXISTS');
    expect(await markLog(newsroom.client)).toEqual(before);
  });

  it('when an Idempotency-Key is reused for different events, then 422 and nothing is written', async () => {
    const storyId = freshStoryId('key-reused');
    const [report, source, followUp] = SEED_STORY_EVENTS;
    await postEvents(newsroom, storyId, report);
    const key = `reused-${storyId}`;
    expect((await postEvents(newsroom, storyId, source, { idempotencyKey: key })).status).toBe(201);
    const before = await markLog(newsroom.client);

    const answer = await postEvents(newsroom, storyId, followUp, { idempotencyKey: key });

    expectProblem(answer, 422);
    expect(await markLog(newsroom.client)).toEqual(before);
  });

  it('when two different posts carry different Idempotency-Keys, then both are written', async () => {
    const storyId = freshStoryId('two-keys');
    const [report, source] = SEED_STORY_EVENTS;
    const first = await postEvents(newsroom, storyId, report, { idempotencyKey: `a-${storyId}` });
    const second = await postEvents(newsroom, storyId, source, { idempotencyKey: `b-${storyId}` });

    expectRecorded(first, storyId, 0, 1);
    expectRecorded(second, storyId, 1, 1);
  });

  it('when the next event is posted with If-Match naming the current revision, then it is recorded', async () => {
    const storyId = freshStoryId('if-match');
    const opened = await postEvents(newsroom, storyId, ftReport);

    const answer = await postEvents(newsroom, storyId, SEED_STORY_EVENTS[1], { ifMatch: opened.headers.get('etag') ?? '0' });

    expectRecorded(answer, storyId, 1, 1);
  });

  it('when If-Match names a revision the story has moved past, then 412 and nothing is written', async () => {
    const storyId = freshStoryId('if-match-stale');
    await postEvents(newsroom, storyId, SEED_STORY_EVENTS.slice(0, 2));
    const before = await markLog(newsroom.client);

    const answer = await postEvents(newsroom, storyId, SEED_STORY_EVENTS[2], { ifMatch: '0' });

    expectProblem(answer, 412);
    expect(answer.body.code).toBe('REVISION_MISMATCH');
    expect(await markLog(newsroom.client)).toEqual(before);
  });

  it('when If-Match is given for a story that does not exist yet, then 412', async () => {
    const storyId = freshStoryId('if-match-missing');

    const answer = await postEvents(newsroom, storyId, ftReport, { ifMatch: '3' });

    expectProblem(answer, 412);
    expect(await readStory(newsroom.client, storyId)).toEqual([]);
  });

  it('when If-Match is * (the story must exist) and the story does not, then 412', async () => {
    const storyId = freshStoryId('if-match-any');

    expectProblem(await postEvents(newsroom, storyId, ftReport, { ifMatch: '*' }), 412);
    expect(await readStory(newsroom.client, storyId)).toEqual([]);
  });

  it('when eight desks post at once with the same If-Match, then exactly one is recorded and the rest get 412', async () => {
    const storyId = freshStoryId('race');
    await postEvents(newsroom, storyId, ftReport);
    const source = SEED_STORY_EVENTS.find((e) => e.type === 'SourceCited') as StoryEvent & { type: 'SourceCited' };
    // Each desk cites a source of its own, so only the revision check can refuse them.
    const posts = Array.from({ length: 8 }, (_, desk) =>
      postEvents(newsroom, storyId, { ...source, data: { ...source.data, sourceId: `desk-${desk}` } }, { ifMatch: '0' }),
    );

    const answers = await Promise.all(posts);

    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 412, 412, 412, 412, 412, 412, 412]);
    for (const answer of answers.filter((a) => a.status === 412)) expectProblem(answer, 412);
    expect(await readStory(newsroom.client, storyId)).toHaveLength(2);
  });
});

describe('atomic arrays', () => {
  it('given the report, when an array whose last event breaks a rule is posted, then 409 and none of it is written', async () => {
    const storyId = freshStoryId('atomic');
    await postEvents(newsroom, storyId, ftReport);
    const before = await markLog(newsroom.client);
    const valid = SEED_STORY_EVENTS.slice(1);
    const broken = { type: 'ReportRetracted', data: { reportId: 'no-such-report', reason: 'Wrong story.', retractedAt: '2025-03-02T00:00:00Z' } };

    const answer = await postEvents(newsroom, storyId, [...valid, broken]);

    expectProblem(answer, 409);
    expect(answer.body.code).toBe('UNKNOWN_REPORT');
    expect(await markLog(newsroom.client)).toEqual(before);
    expect(await readStory(newsroom.client, storyId)).toHaveLength(1);
  });

  it('given no story, when an array that opens it ends with an event of bad shape, then 400 and nothing is written', async () => {
    const storyId = freshStoryId('atomic-shape');
    const before = await markLog(newsroom.client);

    const answer = await postEvents(newsroom, storyId, [...SEED_STORY_EVENTS, { type: 'CompanyDenied', data: { companyId: 'ford' } }]);

    expectProblem(answer, 400);
    expect(await markLog(newsroom.client)).toEqual(before);
  });
});

describe('the largest post', () => {
  it(`when the report and ${MAX_EVENTS_PER_POST - 1} sources are posted as one array (the most one post takes), then all are recorded`, async () => {
    const storyId = freshStoryId('largest');
    const source = SEED_STORY_EVENTS[1] as StoryEvent & { type: 'SourceCited' };
    const sources = Array.from({ length: MAX_EVENTS_PER_POST - 1 }, (_, i) => ({ ...source, data: { ...source.data, sourceId: `desk-source-${i}` } }));

    const answer = await postEvents(newsroom, storyId, [ftReport, ...sources]);

    expectRecorded(answer, storyId, MAX_EVENTS_PER_POST - 1, MAX_EVENTS_PER_POST);
    expect(await readStory(newsroom.client, storyId)).toHaveLength(MAX_EVENTS_PER_POST);
  });
});

describe('a deleted story', () => {
  it('when its stream was tombstoned in the store, then a post answers 410 STORY_DELETED, with or without an Idempotency-Key, and nothing is written', async () => {
    const storyId = freshStoryId('deleted');
    expectRecorded(await postEvents(newsroom, storyId, ftReport), storyId, 0, 1);
    await newsroom.client.tombstoneStream(`story-${storyId}`);
    const before = await markLog(newsroom.client);

    // The api wrote this story a moment ago: the first post appends from what it remembers,
    // the second reads the stream first (a key makes it read).
    for (const options of [{}, { idempotencyKey: 'after-the-tombstone' }]) {
      const answer = await postEvents(newsroom, storyId, rest[0], options);
      expectProblem(answer, 410);
      expect(answer.body.code).toBe('STORY_DELETED');
    }
    expect(await markLog(newsroom.client)).toEqual(before);
  });
});

describe('who may post', () => {
  it('when a reader posts, then 403 and nothing is written', async () => {
    const before = await markLog(newsroom.client);
    const answer = await postEvents(newsroom, freshStoryId('reader'), ftReport, { token: TOKENS.reader });
    expectProblem(answer, 403);
    expect(await markLog(newsroom.client)).toEqual(before);
  });

  it('when an auditor posts, then 403', async () => {
    expectProblem(await postEvents(newsroom, freshStoryId('auditor'), ftReport, { token: TOKENS.auditor }), 403);
  });

  it('when a desk holding both writer and reader roles posts, then it is recorded', async () => {
    const storyId = freshStoryId('editor');
    expectRecorded(await postEvents(newsroom, storyId, ftReport, { token: TOKENS.editor }), storyId, 0, 1);
  });

  it.each([
    ['no Authorization header', { token: null }],
    ['an unknown token', { token: 'not-a-token-of-ours' }],
    ['an empty bearer token', { authorization: 'Bearer ' }],
    ['the Basic scheme', { authorization: `Basic ${Buffer.from('writer:secret').toString('base64')}` }],
    ['a writer token without the Bearer scheme', { authorization: TOKENS.writer }],
  ])('when a post comes with %s, then 401 with a Bearer challenge and nothing is written', async (_case, options) => {
    const before = await markLog(newsroom.client);
    const answer = await postEvents(newsroom, freshStoryId('anonymous'), ftReport, options);
    expectProblem(answer, 401);
    expect(answer.headers.get('www-authenticate') ?? '').toMatch(/^Bearer\b/);
    expect(await markLog(newsroom.client)).toEqual(before);
  });
});
