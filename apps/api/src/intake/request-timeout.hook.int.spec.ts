import { connect } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { requestTimeoutHook } from './request-timeout.hook';

const TIMEOUT_MS = 500;

/** Sends the headers of a post with a body of `length` bytes, then `body` one byte per 100 ms; resolves with all that came back once the server closes. */
function trickle(port: number, path: string, body: string, length = body.length): Promise<{ answer: string; sent: number }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let sent = 0;
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => undefined);
    socket.write(`POST ${path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`);
    const timer = setInterval(() => {
      if (socket.writable && sent < body.length) socket.write(body[sent++]!);
    }, 100);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer: Buffer.concat(received).toString('utf8'), sent });
    });
  });
}

describe('the request timeout hook', () => {
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    app = Fastify();
    app.addHook('onRequest', requestTimeoutHook(TIMEOUT_MS));
    app.post('/echo', async (request) => request.body);
    // Refused from a hook, as the api's authentication does: before any body is read.
    app.post('/refused', { onRequest: async (_request, reply) => reply.code(401).send({ refused: true }) }, async () => 'never');
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await app.close();
  });

  it('given a body trickled for far longer than the timeout, then 408 Problem Details and the connection closed', async () => {
    const body = JSON.stringify({ note: 'x'.repeat(200) });
    const { answer, sent } = await trickle(port, '/echo', body);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toMatch(/Content-Type: application\/problem\+json/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual(
      expect.objectContaining({ status: 408, code: 'REQUEST_TIMEOUT', instance: '/echo' }),
    );
    expect(sent).toBeLessThan(body.length);
  });

  it('given a request answered before its body came, then the connection closes with that one answer only', async () => {
    const { answer } = await trickle(port, '/refused', '{"a":1}', 1_000);
    expect(answer.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('given a body sent at once, then it is answered as usual and nothing fires later', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ a: 1 });
  });
});
