import Fastify, { type FastifyInstance } from 'fastify';
import { ProblemException } from '../errors/problem-details';
import { useStrictUtf8Json } from './utf8-json.parser';

describe('JSON bodies read as strict UTF-8', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify();
    useStrictUtf8Json(app, 1024);
    app.post('/echo', async (request) => request.body);
    app.setErrorHandler((error, _request, reply) => {
      if (error instanceof ProblemException) return reply.code(error.problem.status).send(error.problem);
      return reply.code((error as { statusCode?: number }).statusCode ?? 500).send({ message: String(error) });
    });
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
  });

  const post = (payload: Buffer, contentType = 'application/json') =>
    app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': contentType }, payload });
  const bytes = (...parts: (string | number[])[]) =>
    Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));

  it('given UTF-8 text in any script, then the body is parsed as sent', async () => {
    const body = { headline: 'Ford dan Xiaomi — 福特 \u{1F697}', note: 'café' };
    const answer = await post(Buffer.from(JSON.stringify(body), 'utf8'), 'application/json; charset=utf-8');
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual(body);
  });

  it.each([
    ['a latin1 é', [0xe9]],
    ['a lone continuation byte', [0x80]],
    ['a cut sequence', [0xe2, 0x82]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['a surrogate encoded as UTF-8', [0xed, 0xa0, 0x80]],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ])('given %s in a string, then 400 INVALID_JSON rather than a U+FFFD recorded in its place', async (_what, invalid) => {
    const answer = await post(bytes('{"headline":"Ford', invalid, ' talks"}'));
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toEqual(expect.objectContaining({ code: 'INVALID_JSON', detail: expect.stringContaining('UTF-8') }));
  });

  it('given what Fastify’s parser refused before (bad JSON, an empty body, __proto__), then it is still refused', async () => {
    expect((await post(bytes('{"a":'))).statusCode).toBe(400);
    expect((await post(bytes(''))).statusCode).toBe(400);
    expect((await post(bytes('{"__proto__":{"x":1}}'))).statusCode).toBe(400);
    expect((await post(bytes('{"constructor":{"prototype":{"x":1}}}'))).statusCode).toBe(400);
  });

  it('given a body over the limit, then 413', async () => {
    expect((await post(bytes(`{"a":"${'x'.repeat(2048)}"}`))).statusCode).toBe(413);
  });
});
