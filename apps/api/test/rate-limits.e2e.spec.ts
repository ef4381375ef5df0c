// Each token's budgets over real HTTP: past its budget a token is answered 429 Problem Details
// with Retry-After and nothing is recorded; writes and reads, and two tokens, never share a
// budget; a burst of concurrent requests gets exactly the budget through; what needs no token
// is never counted; without limits (the default of startApi) a burst meets no 429.
import { SEED_STORY_EVENTS } from '@newsroom/domain';
import { type Contract, contractOf } from './support/openapi-contract';
import {
  type Answer,
  expectProblem,
  freshStoryId,
  get,
  markLog,
  type Newsroom,
  postEvents,
  readStory,
  TOKENS,
  TOKENS_ENV,
  useNewsroom,
} from './support/api.harness';

jest.setTimeout(120_000);

const WRITES = 5;
const READS = 8;
/** Long enough that no window ends during the file's tests: the counts are exact. */
const WINDOW_MS = 10 * 60_000;
const ROUNDS = 5;
const BURST = 4 * WRITES;

const [report] = SEED_STORY_EVENTS;

/** Two writers and a reader of their own for each round of the race. */
const roundTokens = (round: number) => ({ writerA: `rl-${round}-writer-a`, writerB: `rl-${round}-writer-b`, reader: `rl-${round}-reader` });
const RACE_TOKENS = Array.from({ length: ROUNDS }, (_, round) => roundTokens(round));
const OTHER_EDITOR = 'rl-editor-two';
const FRESH_WRITER = 'rl-fresh-writer';
const SPENT_WRITER = 'rl-spent-writer';
const SPENT_READER = 'rl-spent-reader';
const TOKENS_WITH_RACERS = [
  TOKENS_ENV,
  `${OTHER_EDITOR}=writer+reader`,
  `${FRESH_WRITER}=writer`,
  `${SPENT_WRITER}=writer`,
  `${SPENT_READER}=reader`,
  ...RACE_TOKENS.flatMap((tokens) => [`${tokens.writerA}=writer`, `${tokens.writerB}=writer`, `${tokens.reader}=reader`]),
].join(',');

/** Posts the seed story's report as a new story: 201 when the token may still write. */
function postReport(newsroom: Newsroom, token: string, storyId = freshStoryId('rate-limited')): Promise<Answer & { storyId: string }> {
  return postEvents(newsroom, storyId, report, { token }).then((answer) => ({ ...answer, storyId }));
}

function expectRateLimited(answer: Answer, limit: number): void {
  expectProblem(answer, 429);
  expect(answer.body.code).toBe('RATE_LIMITED');
  const retryAfter = Number(answer.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= WINDOW_MS / 1000).toBe(true);
  expect(answer.headers.get('ratelimit-limit')).toBe(String(limit));
  expect(answer.headers.get('ratelimit-remaining')).toBe('0');
}

async function spendWrites(newsroom: Newsroom, token: string): Promise<void> {
  for (let spent = 0; spent < WRITES; spent += 1) expect((await postReport(newsroom, token)).status).toBe(201);
}

async function spendReads(newsroom: Newsroom, token: string): Promise<void> {
  for (let spent = 0; spent < READS; spent += 1) expect((await get(newsroom, '/stories?limit=1', token)).status).toBe(200);
}

function countBy(answers: readonly Answer[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

describe('rate limits per token', () => {
  const newsroom = useNewsroom({
    tokens: TOKENS_WITH_RACERS,
    rateLimits: { writes: { max: WRITES, windowMs: WINDOW_MS }, reads: { max: READS, windowMs: WINDOW_MS } },
  });

  let contract: Contract;
  beforeAll(async () => {
    contract = contractOf((await get(newsroom, '/docs/json', null)).body);
  });

  it('given a writer, then each post says its budget and what is left of it', async () => {
    const first = await postReport(newsroom, FRESH_WRITER);
    expect(first.status).toBe(201);
    expect(first.headers.get('ratelimit-limit')).toBe(String(WRITES));
    expect(first.headers.get('ratelimit-remaining')).toBe(String(WRITES - 1));
    expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    const second = await postReport(newsroom, FRESH_WRITER);
    expect(second.headers.get('ratelimit-remaining')).toBe(String(WRITES - 2));
  });

  it('given a writer at its limit, when it posts once more, then 429 RATE_LIMITED with Retry-After, and nothing is recorded', async () => {
    await spendWrites(newsroom, TOKENS.writer);
    const before = await markLog(newsroom.client);

    const refused = await postReport(newsroom, TOKENS.writer);

    expectRateLimited(refused, WRITES);
    expect(refused.body).toMatchObject({ status: 429, budget: 'writes', limit: WRITES, instance: `/stories/${refused.storyId}/events` });
    expect(refused.body.detail).toMatch(/Retry in \d+ s/);
    contract.expectDocumented(refused, 'POST', '/stories/{storyId}/events');
    expect(await readStory(newsroom.client, refused.storyId)).toEqual([]);
    expect(await markLog(newsroom.client)).toEqual(before);
  });

  it('given a writer at its limit, then a reader token still reads, and a reader at its limit leaves a writer its posts', async () => {
    await spendWrites(newsroom, SPENT_WRITER);
    expectRateLimited(await postReport(newsroom, SPENT_WRITER), WRITES);
    expect((await get(newsroom, '/stories?limit=1', TOKENS.reader)).status).toBe(200);

    await spendReads(newsroom, SPENT_READER);
    const refusedRead = await get(newsroom, '/stories?limit=1', SPENT_READER);
    expectRateLimited(refusedRead, READS);
    expect(refusedRead.body).toMatchObject({ budget: 'reads', limit: READS, windowSeconds: WINDOW_MS / 1000 });
    contract.expectDocumented(refusedRead, 'GET', '/stories');
    expect((await postReport(newsroom, TOKENS.editor)).status).toBe(201);
  });

  it('given one token with both roles, then its writes and its reads are two budgets', async () => {
    await spendWrites(newsroom, OTHER_EDITOR);
    expectRateLimited(await postReport(newsroom, OTHER_EDITOR), WRITES);
    const read = await get(newsroom, '/stories?limit=1', OTHER_EDITOR);
    expect(read.status).toBe(200);
    expect(read.headers.get('ratelimit-remaining')).toBe(String(READS - 1));
  });

  it('given anonymous and wrong-token floods, then they get 401 and spend no budget; /health and /docs are never counted', async () => {
    const strangers = await Promise.all(
      Array.from({ length: 3 * WRITES }, (_, index) =>
        postEvents(newsroom, freshStoryId('stranger'), report, { token: index % 2 === 0 ? null : 'not-a-token' }),
      ),
    );
    expect(countBy(strangers)).toEqual({ 401: 3 * WRITES });
    for (let index = 0; index < 3 * READS; index += 1) {
      const health = await get(newsroom, '/health', null);
      expect(health.status).toBe(200);
      expect(health.headers.get('ratelimit-limit')).toBeNull();
    }
    expect((await get(newsroom, '/docs/json', null)).status).toBe(200);
    // The auditor has read nothing yet: its whole budget is left.
    const audit = await get(newsroom, '/admin/projections', TOKENS.auditor);
    expect(audit.status).toBe(200);
    expect(audit.headers.get('ratelimit-remaining')).toBe(String(READS - 1));
  });

  it(`given ${BURST} concurrent posts from each of two writers and ${BURST} concurrent reads from a reader, ${ROUNDS} rounds, then exactly the budget of each gets through and only those posts are recorded`, async () => {
    for (const tokens of RACE_TOKENS) {
      const before = await markLog(newsroom.client);
      const posts = Array.from({ length: BURST }, (_, index) => [
        postReport(newsroom, tokens.writerA, freshStoryId(`race-a-${index}`)),
        postReport(newsroom, tokens.writerB, freshStoryId(`race-b-${index}`)),
      ]).flat();
      const reads = Array.from({ length: BURST }, () => get(newsroom, '/stories?limit=1', tokens.reader));
      const [posted, read] = await Promise.all([Promise.all(posts), Promise.all(reads)]);

      const byWriter = (token: string) => countBy(posted.filter((_, index) => (index % 2 === 0 ? tokens.writerA : tokens.writerB) === token));
      expect(byWriter(tokens.writerA)).toEqual({ 201: WRITES, 429: BURST - WRITES });
      expect(byWriter(tokens.writerB)).toEqual({ 201: WRITES, 429: BURST - WRITES });
      expect(countBy(read)).toEqual({ 200: READS, 429: BURST - READS });
      for (const refusal of [...posted, ...read].filter((answer) => answer.status === 429)) expect(refusal.body.code).toBe('RATE_LIMITED');

      const after = await markLog(newsroom.client);
      expect(after.count - before.count).toBe(2 * WRITES);
      const refusedStories = posted.filter((answer) => answer.status === 429);
      const recorded = await Promise.all(refusedStories.map((answer) => readStory(newsroom.client, answer.storyId)));
      expect(recorded.filter((events) => events.length > 0)).toEqual([]);
    }
  });
});

describe('rate limits past their window', () => {
  const newsroom = useNewsroom({ rateLimits: { writes: { max: 1, windowMs: 2000 } } });

  it('given a writer refused, when it waits Retry-After, then its next post is recorded', async () => {
    let refused: Answer | undefined;
    // The first post of a window passes; one of the next few lands in the same 2 s window.
    for (let attempt = 0; attempt < 20 && refused === undefined; attempt += 1) {
      const answer = await postReport(newsroom, TOKENS.writer);
      if (answer.status === 429) refused = answer;
      else expect(answer.status).toBe(201);
    }
    expect(refused?.body.code).toBe('RATE_LIMITED');
    const retryAfter = Number(refused!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    const retried = await postReport(newsroom, TOKENS.writer);
    expect(retried.status).toBe(201);
    expect(await readStory(newsroom.client, retried.storyId)).toHaveLength(1);
  });

  it('given reads left without a budget, then they are not limited', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => get(newsroom, '/stories?limit=1')));
    expect(countBy(answers)).toEqual({ 200: 50 });
    expect(answers[0]!.headers.get('ratelimit-limit')).toBeNull();
  });
});

describe('without rate limits', () => {
  const newsroom = useNewsroom();

  it('given a burst of posts and reads from one token each, then none is refused with 429', async () => {
    const before = await markLog(newsroom.client);
    const posts = Array.from({ length: 100 }, () => postReport(newsroom, TOKENS.writer));
    const reads = Array.from({ length: 300 }, () => get(newsroom, '/stories?limit=1'));
    const [posted, read] = await Promise.all([Promise.all(posts), Promise.all(reads)]);
    expect(countBy(posted)).toEqual({ 201: 100 });
    expect(countBy(read)).toEqual({ 200: 300 });
    expect(posted[0]!.headers.get('ratelimit-limit')).toBeNull();
    expect((await markLog(newsroom.client)).count - before.count).toBe(100);
  });
});
