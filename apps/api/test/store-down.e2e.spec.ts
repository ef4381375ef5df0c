// When EventStoreDB goes away under a running api, tools get 503 (retry later), never a
// 500 or a hang, and the health check says so.
import { SEED_STORY_EVENTS } from '@newsroom/domain';
import { startApi } from '../src/bootstrap';
import { TOKENS_ENV, closedPort, expectProblem, freshStoryId, get, postEvents, useNewsroom } from './support/api.harness';

jest.setTimeout(60_000);

const newsroom = useNewsroom();

describe('given a running api whose store has stopped', () => {
  let storyId: string;
  beforeAll(async () => {
    storyId = freshStoryId('blackout');
    const opened = await postEvents(newsroom, storyId, SEED_STORY_EVENTS[0]);
    expect(opened.status).toBe(201);
    await newsroom.stopStore();
  });

  it('when the next event is posted, then 503 as Problem Details', async () => {
    const answer = await postEvents(newsroom, storyId, SEED_STORY_EVENTS[1]);
    expectProblem(answer, 503);
  });

  it('when a new story is opened, then 503 as Problem Details', async () => {
    const answer = await postEvents(newsroom, freshStoryId('blackout-new'), SEED_STORY_EVENTS[0]);
    expectProblem(answer, 503);
  });

  it('when /health is asked without a token, then 503 says the store is down', async () => {
    const answer = await get(newsroom, '/health', null);
    expectProblem(answer, 503);
    expect(answer.body.store).toEqual(expect.objectContaining({ status: 'down' }));
    // Anyone may ask: the body names neither the store's address nor its gRPC error (those are logged).
    expect(answer.text).not.toMatch(/127\.0\.0\.1|:\d{4,5}\b|ECONNREFUSED|UNAVAILABLE:|esdb:|No connection/);
  });
});

describe('given an api started while its store was never reachable', () => {
  let api: { url: string; stop(): Promise<void> };
  beforeAll(async () => {
    api = await startApi({ connectionString: `esdb://127.0.0.1:${await closedPort()}?tls=false`, tokens: TOKENS_ENV, port: 0 });
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('when the seed report is posted, then 503 as Problem Details', async () => {
    const answer = await postEvents(api, freshStoryId('never'), SEED_STORY_EVENTS[0]);
    expectProblem(answer, 503);
  });

  it('when /health is asked, then 503 says the store is down', async () => {
    const answer = await get(api, '/health', null);
    expectProblem(answer, 503);
    expect(answer.body.store).toEqual(expect.objectContaining({ status: 'down' }));
    // Anyone may ask: the body names neither the store's address nor its gRPC error (those are logged).
    expect(answer.text).not.toMatch(/127\.0\.0\.1|:\d{4,5}\b|ECONNREFUSED|UNAVAILABLE:|esdb:|No connection/);
  });
});
