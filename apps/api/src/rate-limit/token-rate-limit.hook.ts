import fastifyRateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { problem, ProblemException } from '../errors/problem-details';
import { pathOf, sendProblem } from '../errors/problem-details.filter';
import { type RateLimit, type RateLimits, windowName } from './rate-limit.options';

type Budget = 'writes' | 'reads';

/**
 * Each token's budgets, counted by @fastify/rate-limit (its in-memory store: the counts are
 * this process's own). Call after the authentication hook is added: the count is keyed by
 * the principal it sets, so a request without a valid token is answered 401 before it is
 * counted (an anonymous flood cannot spend a token's budget), and what needs no token (the
 * health check, /docs, the dashboard's page, CORS preflights) is never counted.
 */
export async function limitRequestsPerToken(app: NestFastifyApplication, limits: RateLimits): Promise<void> {
  const { writes, reads } = limits;
  if (!writes && !reads) return;
  // global: false, so no route gets the plugin's own per-IP hook; the draft standard's
  // RateLimit-Limit/-Remaining/-Reset names, with Retry-After on a refusal.
  await app.register(fastifyRateLimit, { global: false, enableDraftSpec: true });
  const fastify = app.getHttpAdapter().getInstance();
  // Each call makes a limiter with a store of its own: the two budgets never share a count.
  const limiterOf = (budget: Budget, limit: RateLimit) =>
    fastify.rateLimit({
      max: limit.max,
      timeWindow: limit.windowMs,
      keyGenerator: (request) => (request as AuthenticatedRequest).principal!.name,
      errorResponseBuilder: (_request, context) => refusal(budget, limit, context.ttl),
    });
  const limiters = {
    writes: writes ? limiterOf('writes', writes) : undefined,
    reads: reads ? limiterOf('reads', reads) : undefined,
  };

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if ((request as AuthenticatedRequest).principal === undefined) return;
    const limiter = request.method === 'GET' || request.method === 'HEAD' ? limiters.reads : limiters.writes;
    if (limiter === undefined) return;
    try {
      // Sets the RateLimit-* headers (and Retry-After past the limit), throws the refusal.
      await limiter.call(fastify, request, reply);
    } catch (error) {
      if (!(error instanceof ProblemException)) throw error;
      sendProblem(reply, { ...error.problem, instance: pathOf(request.url) }, error.headers);
      return reply as unknown as undefined;
    }
  });
}

function refusal(budget: Budget, limit: RateLimit, ttlMs: number): ProblemException {
  const seconds = Math.max(1, Math.ceil(ttlMs / 1000));
  const what = budget === 'writes' ? 'posts' : 'reads';
  return new ProblemException(
    problem(
      429,
      'RATE_LIMITED',
      'Too many requests',
      `This token may send ${limit.max} ${what} per ${windowName(limit.windowMs)}; nothing was done. Retry in ${seconds} s (Retry-After).`,
      { budget, limit: limit.max, windowSeconds: limit.windowMs / 1000 },
    ),
  );
}
