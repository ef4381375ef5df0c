import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import type { ApiMetrics } from './api-metrics';
import { correlationIdOf } from './correlation-id';

/** The route label of a request no route matched: raw URLs would make one series each. */
const UNMATCHED = 'unmatched';

/**
 * Fastify's onResponse hook: one log line per request (its id comes from the request's
 * logger) and its duration in the HTTP histogram. The route is the pattern
 * (`/stories/:storyId/events`), the principal the hashed name recorded in events; the
 * token and the raw URL are never logged.
 */
export function requestObserver(metrics: ApiMetrics) {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const route = request.routeOptions.url ?? UNMATCHED;
    const status = reply.statusCode;
    const durationMs = reply.elapsedTime;
    metrics.httpDuration.observe({ route, method: request.method, status: String(status) }, durationMs / 1000);
    if (reply.getHeader('idempotent-replayed') === 'true') metrics.idempotentReplays.inc();
    // At info whatever the status: a failure is logged by itself, with its cause (ProblemDetailsFilter).
    request.log.info(
      {
        // The intake records the request id as the correlation id when the caller sent none.
        correlationId: correlationIdOf(request.headers) ?? request.id,
        principal: (request as AuthenticatedRequest).principal?.name ?? null,
        method: request.method,
        route,
        status,
        durationMs: Math.round(durationMs * 100) / 100,
      },
      'request',
    );
    done();
  };
}
