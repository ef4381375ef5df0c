// The desk's page is served by the api itself at `/`, with no token: index.html never
// cached, the hashed bundles cached for a year; without a build, `/` says how to make one.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedStore } from '@newsroom/esdb-server';
import { type RunningApi, startApi } from '../src/bootstrap';
import { get, TOKENS_ENV } from './support/api.harness';

jest.setTimeout(60_000);

async function apiServing(dashboardDir: string): Promise<{ api: RunningApi; stop(): Promise<void> }> {
  const store = await startEmbeddedStore({ memory: true, port: 0 });
  const api = await startApi({ connectionString: store.connectionString, tokens: TOKENS_ENV, port: 0, dashboardDir });
  return {
    api,
    async stop() {
      await api.stop();
      await store.stop();
    },
  };
}

describe('the dashboard served by the api', () => {
  let built: string;
  let running: Awaited<ReturnType<typeof apiServing>>;

  beforeAll(async () => {
    built = mkdtempSync(path.join(os.tmpdir(), 'newsroom-dashboard-'));
    mkdirSync(path.join(built, 'assets'));
    writeFileSync(path.join(built, 'index.html'), '<!doctype html><title>The desk</title><script type="module" src="/assets/index-AbC123.js"></script>');
    writeFileSync(path.join(built, 'assets', 'index-AbC123.js'), 'console.log("desk")');
    running = await apiServing(built);
  });
  afterAll(async () => {
    await running?.stop();
    rmSync(built, { recursive: true, force: true });
  });

  it('answers / with the page to a stranger, never cached', async () => {
    const page = await get(running.api, '/', null);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.text).toContain('/assets/index-AbC123.js');
  });

  it('answers a hashed asset to a stranger, cached for a year as immutable', async () => {
    const asset = await get(running.api, '/assets/index-AbC123.js', null);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.text).toBe('console.log("desk")');
  });

  it('still asks a token of every data call the page makes', async () => {
    expect((await get(running.api, '/stories', null)).status).toBe(401);
    expect((await get(running.api, '/stream', null)).status).toBe(401);
  });

  it('answers an unknown asset 404 and leaves no way out of the assets folder', async () => {
    expect((await get(running.api, '/assets/missing.js', null)).status).toBe(404);
    expect((await get(running.api, '/assets/..%2findex.html', null)).status).toBe(404);
  });
});

describe('an api whose dashboard was not built', () => {
  it('answers / with a message saying to run npm run build', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'newsroom-no-dashboard-'));
    const running = await apiServing(path.join(empty, 'missing'));
    try {
      const page = await get(running.api, '/', null);
      expect(page.status).toBe(503);
      expect(page.text).toContain('npm run build');
    } finally {
      await running.stop();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
