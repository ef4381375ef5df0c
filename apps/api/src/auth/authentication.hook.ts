import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException } from '../errors/problem-details';
import { sendProblem } from '../errors/problem-details.filter';
import type { AccessTokens } from './access-tokens';
import { authenticate, type AuthenticatedRequest } from './bearer-auth.guard';

/** The one route a stranger may call (its controller is marked @Public() as well). */
const ANONYMOUS_PATHS: ReadonlySet<string> = new Set(['/health']);

/**
 * Authenticates every request on arrival, before its body is read and whether or not a
 * route matches (Swagger's /docs included): an anonymous caller learns nothing but 401.
 * Roles are checked later by BearerAuthGuard, per route.
 */
export function authenticationHook(tokens: AccessTokens) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const query = request.url.indexOf('?');
    const path = query === -1 ? request.url : request.url.slice(0, query);
    if ((request.method === 'GET' || request.method === 'HEAD') && ANONYMOUS_PATHS.has(path)) return;
    try {
      (request as AuthenticatedRequest).principal = authenticate(tokens, request.headers.authorization);
    } catch (error) {
      if (!(error instanceof ProblemException)) throw error;
      sendProblem(reply, { ...error.problem, instance: path }, error.headers);
      return reply as unknown as undefined;
    }
  };
}
