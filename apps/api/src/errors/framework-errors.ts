import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { problem, type ProblemDetails } from './problem-details';
import { sendProblem } from './problem-details.filter';

/**
 * Fastify answers a few errors before any route (so before Nest's filters) in its own
 * JSON shape: a malformed URL, a path parameter over `maxParamLength`. These handlers
 * give them the api's one Problem Details shape.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const path = request.url.split('?')[0] ?? request.url;
  switch (error.code) {
    case 'FST_ERR_MAX_PARAM_LENGTH':
      // A path parameter this long cannot be an identifier (slugs stop at 128 characters).
      sendProblem(reply, { ...problem(400, 'PARAMETER_TOO_LONG', 'Bad request', 'A path parameter is far longer than any identifier.'), instance: path });
      return;
    case 'FST_ERR_BAD_URL':
      sendProblem(reply, { ...problem(400, 'BAD_URL', 'Bad request', 'The URL is not validly encoded.'), instance: path });
      return;
    default:
      sendProblem(reply, { ...problem(400, 'BAD_REQUEST', 'Bad request', error.message), instance: path });
  }
}

/**
 * Requests Node's HTTP parser rejects (malformed, headers too large) never become
 * Fastify requests; answer them on the socket in the same shape, then close.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const code = status === 431 ? 'HEADERS_TOO_LARGE' : status === 408 ? 'REQUEST_TIMEOUT' : 'MALFORMED_REQUEST';
  const detail = status === 408 ? 'The request was not received in time.' : 'The HTTP request could not be parsed.';
  answerOnSocket(socket, problem(status, code, STATUS_CODES[status] ?? 'Bad request', detail));
}

/** Answers a problem straight on the socket and closes it: for requests no handler will ever answer. */
export function answerOnSocket(socket: Socket, body: ProblemDetails): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${body.status} ${STATUS_CODES[body.status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}
