import type { FastifyCorsOptions } from '@fastify/cors';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

/** What a browser on another origin may send: the intake's and the reads' headers. */
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key', 'Last-Event-ID', 'X-Correlation-Id', 'X-Newsroom-Tool'];

/** What its scripts may read of an answer beyond the CORS-safelisted headers (a page can pace itself by RateLimit-*). */
const EXPOSED_HEADERS = ['ETag', 'Location', 'Idempotent-Replayed', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];

/** The headers @fastify/cors sets on an answer that is not a preflight. */
const ANSWER_HEADERS = ['access-control-allow-origin', 'access-control-expose-headers', 'vary'];

/** How long a browser may keep a preflight's answer, in seconds. */
const PREFLIGHT_MAX_AGE_S = 600;

/**
 * @fastify/cors for the given origins: an origin not listed gets no CORS header at all (and
 * its preflight no answer but 404), so its page cannot read any answer. No cookies are used
 * (bearer tokens only), so no credentials mode.
 */
export function corsOptions(origins: readonly string[]): FastifyCorsOptions {
  const allowed = new Set(origins);
  return {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ['GET', 'HEAD', 'POST'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_S,
  };
}

/**
 * An onRequest hook to run after @fastify/cors: a reply that is hijacked (the /stream SSE
 * response) writes its head on the raw response, where Fastify's reply headers never go,
 * so the CORS headers are set there too. Node merges them with the head a reply writes,
 * the reply's own values first, so an ordinary answer is unchanged.
 */
export function corsHeadersOnRawResponse(_request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  for (const name of ANSWER_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) reply.raw.setHeader(name, value);
  }
  done();
}
