import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where the page's hashed files are served from: public, as the page itself. */
export const DASHBOARD_ASSETS_PREFIX = '/assets/';

/** The page and its assets need no token (the data calls it makes do). */
export function isDashboardAssetPath(path: string): boolean {
  return path === '/' || path === '/index.html' || path.startsWith(DASHBOARD_ASSETS_PREFIX);
}

/**
 * `npm run build` writes the page into dist/apps/dashboard of the checkout. The api runs
 * from dist (npm start) or from its TypeScript sources (tests), so the folder is found from
 * the nearest package.json above this file rather than from a fixed depth.
 */
export function defaultDashboardDir(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('dist', 'apps', 'dashboard');
    dir = parent;
  }
  return path.join(dir, 'dist', 'apps', 'dashboard');
}

const NOT_BUILT = 'The dashboard is not built: run `npm run build` (npm start does it), then reload this page.\n' + 'The api itself is running: see /docs.\n';

/**
 * Serves the desk at `/`: index.html never cached (it names the current hashed bundles),
 * the hashed files under /assets/ cached for a year as immutable. Without a build, `/`
 * says how to make one.
 */
export async function serveDashboard(fastify: FastifyInstance, dir: string): Promise<void> {
  const index = path.join(dir, 'index.html');
  if (!existsSync(index)) {
    fastify.get('/', async (_request, reply) => {
      await reply.code(503).header('cache-control', 'no-cache').type('text/plain; charset=utf-8').send(NOT_BUILT);
    });
    return;
  }
  await fastify.register(fastifyStatic, {
    root: path.join(dir, 'assets'),
    prefix: DASHBOARD_ASSETS_PREFIX,
    decorateReply: false,
    index: false,
    immutable: true,
    maxAge: '365d',
  });
  const page = (): Buffer => readFileSync(index);
  for (const route of ['/', '/index.html']) {
    fastify.get(route, async (_request, reply) => {
      await reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page());
    });
  }
}
