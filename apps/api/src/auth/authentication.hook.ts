import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDashboardAssetPath } from '../dashboard/dashboard.assets';
import { ProblemException } from '../errors/problem-details';
import { sendProblem } from '../errors/problem-details.filter';
import type { AccessTokens, Principal } from './access-tokens';
import { authenticate, type AuthenticatedRequest } from './bearer-auth.guard';

/**
 * The Authorization header each connection last authenticated with, and its principal: a
 * keep-alive client sends the same header on every request, and hashing it each time cost
 * a few µs per post. Only a header that authenticated is kept, and only for the connection
 * that sent it.
 */
const lastOnConnection = new WeakMap<Socket, { readonly header: string; readonly principal: Principal }>();

/** What a stranger may read: the health check (its controller is marked @Public() as well). */
const ANONYMOUS_PATHS: ReadonlySet<string> = new Set(['/health']);

/**
 * And everything under these: the OpenAPI page, its assets and its document, so that /docs
 * opens in a browser. The calls made from the page still need a token (its Authorize button).
 */
const ANONYMOUS_PREFIXES: readonly string[] = ['/docs'];

function isAnonymous(method: string, path: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  return (
    ANONYMOUS_PATHS.has(path) ||
    ANONYMOUS_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)) ||
    // The desk's page and its files (its data calls still need a token).
    isDashboardAssetPath(path)
  );
}

/**
 * A browser's CORS preflight never carries credentials, so it cannot be asked for a token:
 * @fastify/cors answers it for an allowed origin, and for any other no route does (404).
 */
function isPreflight(request: FastifyRequest): boolean {
  return request.method === 'OPTIONS' && request.headers.origin !== undefined && request.headers['access-control-request-method'] !== undefined;
}

/**
 * Authenticates every request on arrival, before its body is read and whether or not a
 * route matches: beyond the health check, the docs, the desk's page and CORS preflights, an anonymous caller
 * learns nothing but 401.
 * Roles are checked later by BearerAuthGuard, per route.
 */
export function authenticationHook(tokens: AccessTokens) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const query = request.url.indexOf('?');
    const path = query === -1 ? request.url : request.url.slice(0, query);
    if (isAnonymous(request.method, path) || isPreflight(request)) return;
    try {
      const header = request.headers.authorization;
      const socket = request.raw.socket;
      const known = lastOnConnection.get(socket);
      if (known !== undefined && header !== undefined && known.header === header) {
        (request as AuthenticatedRequest).principal = known.principal;
        return;
      }
      const principal = authenticate(tokens, header);
      lastOnConnection.set(socket, { header: header!, principal });
      (request as AuthenticatedRequest).principal = principal;
    } catch (error) {
      if (!(error instanceof ProblemException)) throw error;
      sendProblem(reply, { ...error.problem, instance: path }, error.headers);
      return reply as unknown as undefined;
    }
  };
}
