import type { FastifyRequest, HTTPMethods } from 'fastify';

/** The methods a route of ours may have (HEAD comes with each GET). */
const METHODS: readonly HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * The methods the api answers on the request's path, asked of Fastify's own router
 * (so the answer follows the routes as they are registered). Empty for a path no route
 * has: that is a 404; a path with routes for other methods is a 405 with `Allow`.
 */
export function allowedMethods(request: FastifyRequest): HTTPMethods[] {
  const query = request.url.indexOf('?');
  const url = query === -1 ? request.url : request.url.slice(0, query);
  return METHODS.filter((method) => {
    // findRoute answers null for no match, though its type leaves that out.
    const found = request.server.findRoute({ method, url }) as { params: Record<string, string | undefined> } | null;
    // A catch-all (`/*`, as a static file server registers) matches every path: it makes no path known.
    return found !== null && !('*' in found.params);
  });
}
