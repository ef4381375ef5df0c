// The routes around intake: the anonymous health check, the OpenAPI document, and what
// answers a path or method the api does not have.
import { TOKENS, expectProblem, get, send, useNewsroom } from './support/api.harness';

jest.setTimeout(30_000);

const newsroom = useNewsroom();

describe('health', () => {
  it('given the store is up, when anyone asks /health without a token, then 200 says the store is reachable', async () => {
    const answer = await get(newsroom, '/health', null);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(expect.objectContaining({ status: 'ok', store: expect.objectContaining({ status: 'up' }) }));
  });
});

describe('docs', () => {
  it('when a reader opens /docs, then the OpenAPI page is served', async () => {
    const answer = await get(newsroom, '/docs', TOKENS.reader);

    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type') ?? '').toMatch(/text\/html/);
  });

  it.each(['/docs', '/docs/json'])('when %s is asked without a token, then 401: nothing but /health is anonymous', async (path) => {
    expectProblem(await get(newsroom, path, null), 401);
  });

  it('when the OpenAPI document is fetched, then it describes the intake route and its answers', async () => {
    const answer = await get(newsroom, '/docs/json', TOKENS.reader);

    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toMatch(/^3\./);
    const intake = answer.body.paths['/stories/{storyId}/events'];
    expect(intake?.post).toBeDefined();
    expect(Object.keys(intake.post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '404', '409', '412', '413', '415', '503']));
  });
});

describe('paths and methods the api does not have', () => {
  it.each([
    ['GET', '/no-such-route'],
    ['POST', '/stories/ford-xiaomi'],
    ['POST', '/story/ford-xiaomi/events'],
    ['DELETE', '/stories/ford-xiaomi/events'],
    ['PUT', '/stories/ford-xiaomi/events'],
    ['PATCH', '/stories/ford-xiaomi/events'],
  ])('when %s %s is asked, then 404 or 405 as Problem Details', async (method, path) => {
    const answer = await send(newsroom, method, path, method === 'GET' || method === 'DELETE' ? undefined : {}, { token: TOKENS.writer });
    expect([404, 405]).toContain(answer.status);
    expectProblem(answer, answer.status);
  });
});
