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
  it('when a browser opens /docs without a token, then the page and every script and style it loads are served', async () => {
    const page = await get(newsroom, '/docs', null);

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type') ?? '').toMatch(/text\/html/);
    // What the page itself loads, as a browser would resolve it against /docs.
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => new URL(match[1]!, `${newsroom.url}/docs`).pathname);
    expect(assets).toEqual(expect.arrayContaining(['/docs/swagger-ui-bundle.js', '/docs/swagger-ui-init.js', '/docs/swagger-ui.css']));
    for (const asset of assets) {
      const answer = await get(newsroom, asset, null);
      expect({ asset, status: answer.status }).toEqual({ asset, status: 200 });
    }
  });

  it('when the OpenAPI document is fetched without a token, then it is served, and names the bearer scheme for the Authorize button', async () => {
    const answer = await get(newsroom, '/docs/json', null);

    expect(answer.status).toBe(200);
    expect(answer.body.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(answer.body.paths['/stories'].get.security).toEqual([{ bearer: [] }]);
  });

  it('when the page calls a route without a token, then that call is still refused', async () => {
    expectProblem(await get(newsroom, '/stories', null), 401);
    expectProblem(await send(newsroom, 'POST', '/docs/json', {}, { token: null }), 401);
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
