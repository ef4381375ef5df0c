// GET /session: what a dashboard asks at sign-in, with any valid token.
import { createHash } from 'node:crypto';
import { TOKENS, expectProblem, get, useNewsroom } from './support/api.harness';

jest.setTimeout(30_000);

const newsroom = useNewsroom();

const principalOf = (token: string) => `token:${createHash('sha256').update(token).digest('hex').slice(0, 12)}`;

describe('GET /session', () => {
  it.each([
    ['writer', TOKENS.writer, ['writer']],
    ['reader', TOKENS.reader, ['reader']],
    ['auditor', TOKENS.auditor, ['auditor']],
    ['writer and reader', TOKENS.editor, ['writer', 'reader']],
  ])('given a %s token, when it asks who it is, then it gets its principal and its roles', async (_name, token, roles) => {
    const answer = await get(newsroom, '/session', token);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ principal: principalOf(token), roles });
    expect(answer.text).not.toContain(token);
  });

  it('given a wrong token, when it signs in, then 401 tells it so', async () => {
    expectProblem(await get(newsroom, '/session', 'not-a-token'), 401);
  });

  it('given no token, then 401', async () => {
    const answer = await get(newsroom, '/session', null);
    expectProblem(answer, 401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});
