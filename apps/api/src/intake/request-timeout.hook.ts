import type { FastifyReply, FastifyRequest } from 'fastify';
import { answerOnSocket } from '../errors/framework-errors';
import { problem } from '../errors/problem-details';

/**
 * A request whose body has not arrived whole within `timeoutMs` of its headers is
 * answered 408 and its connection closed: a client trickling its body would otherwise
 * hold a connection (and a parser waiting on it) as long as it likes. Node's own
 * `requestTimeout` does not do this on Node 20: measured, a body trickled after the
 * headers was cut only at `headersTimeout` (60 s), whatever `requestTimeout` said.
 */
export function requestTimeoutHook(timeoutMs: number) {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const raw = request.raw;
    // Only a request still sending a body can be trickling it.
    if (raw.complete || (raw.headers['content-length'] === undefined && raw.headers['transfer-encoding'] === undefined)) {
      done();
      return;
    }
    const timer = setTimeout(() => {
      if (raw.complete || raw.socket.destroyed) return;
      // Answered already (a 401 before the body came): the connection only has to go.
      if (reply.raw.headersSent) {
        raw.socket.destroy();
        return;
      }
      answerOnSocket(raw.socket, {
        ...problem(408, 'REQUEST_TIMEOUT', 'Request timeout', `The request body was not received within ${timeoutMs} ms.`),
        instance: request.url.split('?')[0] ?? request.url,
      });
      raw.socket.destroySoon();
    }, timeoutMs);
    // A timer must not keep a stopping api alive.
    timer.unref();
    raw.once('end', () => clearTimeout(timer));
    raw.once('close', () => clearTimeout(timer));
    done();
  };
}
