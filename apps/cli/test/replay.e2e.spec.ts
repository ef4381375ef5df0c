// `npm run replay` as a user runs it: a program of its own, against the embedded store and
// an api that both run here. The seed story and a generated log are posted over HTTP; the
// replay's digest must equal the live one, and `--verify` must say so by its exit code.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SEED_IDS, SEED_STORY_EVENTS, SEED_STORY_ID } from '@newsroom/domain';
import { type EmbeddedStore, startEmbeddedStore } from '@newsroom/esdb-server';
import { generateNewsroomLog } from '@newsroom/projections';
import { type RunningApi, startApi } from '../../api/src/bootstrap';
import { closedPort, get, postEvents, TOKENS, TOKENS_ENV } from '../../api/test/support/api.harness';

jest.setTimeout(120_000);

const repoRoot = path.resolve(__dirname, '..', '..', '..');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The replay program from its TypeScript source, in a fresh node process: @swc-node/register
 * compiles each module on load with the repo's tsconfig (path aliases), as the store's crash
 * test runs its child, so no build is needed first.
 */
function runReplay(args: readonly string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, ['-r', require.resolve('@swc-node/register'), path.join(repoRoot, 'apps', 'cli', 'src', 'replay.ts'), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', SWC_NODE_PROJECT: path.join(repoRoot, 'tsconfig.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A stand-in api whose GET /admin/projections answers what the test says. */
async function fakeApi(answer: () => { status: number; body: unknown }): Promise<{ url: string; server: Server; seenAuthorization: string[] }> {
  const seenAuthorization: string[] = [];
  const server = createServer((request, response) => {
    seenAuthorization.push(request.headers.authorization ?? '');
    const { status, body } = request.url?.startsWith('/admin/projections') ? answer() : { status: 404, body: { title: 'Not Found' } };
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seenAuthorization };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('npm run replay', () => {
  let store: EmbeddedStore;
  let api: RunningApi;
  let storeEnv: Record<string, string>;
  let lastPosition = '';
  let eventsPosted = 0;

  async function post(storyId: string, body: unknown): Promise<void> {
    const answer = await postEvents(api, storyId, body);
    expect({ status: answer.status, text: answer.text }).toEqual({ status: 201, text: expect.any(String) });
    lastPosition = answer.body.position;
    eventsPosted += Array.isArray(body) ? body.length : 1;
  }

  /** The live views' digest once they hold everything posted (read-your-writes, no sleep). */
  async function liveDigest(): Promise<{ position: string; digest: string; events: number; stories: number }> {
    const answer = await get(api, `/admin/projections?minPosition=${lastPosition}`, TOKENS.auditor);
    expect(answer.status).toBe(200);
    return answer.body;
  }

  beforeAll(async () => {
    store = await startEmbeddedStore({ memory: true, port: 0 });
    api = await startApi({ connectionString: store.connectionString, tokens: TOKENS_ENV, port: 0 });
    storeEnv = { EVENTSTORE_CONNECTION_STRING: store.connectionString };
    // The seed story one event at a time, then 300 generated events over 40 stories,
    // interleaved in $all as the generator posts them.
    for (const event of SEED_STORY_EVENTS) await post(SEED_STORY_ID, event);
    for (const { storyId, event } of generateNewsroomLog({ events: 300, stories: 40, seed: 7 })) await post(storyId, event);
  });

  afterAll(async () => {
    await api?.stop();
    await store?.stop();
  });

  it('rebuilds the views from $all and prints the live digest at the same position', async () => {
    const live = await liveDigest();

    const run = await runReplay(['--json'], storeEnv);

    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(run.stdout);
    expect(report.views).toEqual(expect.objectContaining({ position: lastPosition, digest: live.digest, events: eventsPosted, stories: 41 }));
    expect(report.events).toBe(eventsPosted);
    expect(report.eventsPerSecond).toBeGreaterThan(0);
  });

  it('prints events/s and the digest for a reader', async () => {
    const live = await liveDigest();

    const run = await runReplay([], storeEnv);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`replayed +${eventsPosted} events in [\\d.]+ s: [\\d,]+ events/s`));
    expect(run.stdout).toContain(`digest       ${live.digest}`);
    expect(run.stdout).toContain(`at position ${lastPosition}: 41 stories`);
  });

  it('--verify exits 0 when the live views agree with the log, sending the auditor token', async () => {
    const run = await runReplay(['--verify', api.url, '--json'], { ...storeEnv, NEWSROOM_TOKEN: TOKENS.auditor });

    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(run.stdout);
    expect(report.verify).toEqual(expect.objectContaining({ equal: true, live: expect.objectContaining({ position: lastPosition }) }));
    expect(report.views.digest).toBe(report.verify.live.digest);
  });

  it('--verify compares at the live position, not at the end of the log', async () => {
    const earlier = await liveDigest();
    // The log moves on after the api answered; the replay must stop where the api stood.
    await post(SEED_STORY_ID, {
      type: 'ReportCorrected',
      data: { reportId: SEED_IDS.ftReportId, correction: 'Headline clarified.', correctedAt: '2025-02-01T00:00:00Z' },
    });
    const fake = await fakeApi(() => ({ status: 200, body: earlier }));
    try {
      const run = await runReplay(['--verify', fake.url, '--json'], { ...storeEnv, NEWSROOM_TOKEN: 'some-auditor' });

      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      const report = JSON.parse(run.stdout);
      expect(report.views).toEqual(expect.objectContaining({ position: earlier.position, digest: earlier.digest, events: earlier.events }));
      expect(fake.seenAuthorization).toEqual(['Bearer some-auditor']);
    } finally {
      await closeServer(fake.server);
    }
    // And the live views, which have moved on too, still agree with the log.
    expect((await liveDigest()).position).toBe(lastPosition);
    const now = await runReplay(['--verify', api.url], { ...storeEnv, NEWSROOM_TOKEN: TOKENS.auditor });
    expect(now.code).toBe(0);
    expect(now.stdout).toContain(`verify       EQUAL at position ${lastPosition}`);
  });

  it('--verify exits 1 with a clear message when the digests differ at the same position', async () => {
    const live = await liveDigest();
    const wrong = `${live.digest.slice(0, 63)}${live.digest.endsWith('0') ? '1' : '0'}`;
    const fake = await fakeApi(() => ({ status: 200, body: { ...live, digest: wrong } }));
    try {
      const run = await runReplay(['--verify', fake.url], { ...storeEnv, NEWSROOM_TOKEN: 'some-auditor' });

      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`the live views and the log DIFFER: at position ${live.position} the live digest is ${wrong}`);
      expect(run.stderr).toContain(`but the replay gives ${live.digest}`);
      expect(run.stdout).toContain('verify       DIFFERENT');
    } finally {
      await closeServer(fake.server);
    }
  });

  it('--verify exits 1 when the live views stand past the end of the log', async () => {
    const live = await liveDigest();
    const beyond = (BigInt(live.position) + 1_000_000n).toString();
    const fake = await fakeApi(() => ({ status: 200, body: { ...live, position: beyond } }));
    try {
      const run = await runReplay(['--verify', fake.url], { ...storeEnv, NEWSROOM_TOKEN: 'some-auditor' });

      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`end at position ${live.position}, before the live views' position ${beyond}`);
    } finally {
      await closeServer(fake.server);
    }
  });

  it('--verify exits 2 and says why when the api refuses the token', async () => {
    const asReader = await runReplay(['--verify', api.url], { ...storeEnv, NEWSROOM_TOKEN: TOKENS.reader });
    const unknown = await runReplay(['--verify', api.url], { ...storeEnv, NEWSROOM_TOKEN: 'not-a-token' });
    const missing = await runReplay(['--verify', api.url], storeEnv);

    expect(asReader.code).toBe(2);
    expect(asReader.stderr).toContain('lacks the auditor role');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('refused the token in NEWSROOM_TOKEN (401)');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--verify needs an auditor token in NEWSROOM_TOKEN');
  });

  it("--verify exits 2 with the api's reason when it cannot give a digest", async () => {
    const fake = await fakeApi(() => ({
      status: 503,
      body: { type: 'about:blank', title: 'The views are still catching up with the log', status: 503, code: 'VIEWS_CATCHING_UP', detail: 'retry later' },
    }));
    const closed = await closedPort();
    try {
      const behind = await runReplay(['--verify', fake.url], { ...storeEnv, NEWSROOM_TOKEN: 'some-auditor' });
      const unreachable = await runReplay(['--verify', `http://127.0.0.1:${closed}`], { ...storeEnv, NEWSROOM_TOKEN: 'some-auditor' });

      expect(behind.code).toBe(2);
      expect(behind.stderr).toContain('/admin/projections answered 503: VIEWS_CATCHING_UP: retry later');
      expect(unreachable.code).toBe(2);
      expect(unreachable.stderr).toContain(`cannot reach the api at http://127.0.0.1:${closed}`);
    } finally {
      await closeServer(fake.server);
    }
  });

  it('exits 2 with a clear error when no store is listening', async () => {
    const port = await closedPort();

    const viaEnv = await runReplay([], { EVENTSTORE_CONNECTION_STRING: `esdb://127.0.0.1:${port}?tls=false` });
    const embedded = await runReplay([], { EMBEDDED_STORE_PORT: String(port) });

    expect(viaEnv.code).toBe(2);
    expect(viaEnv.stderr).toContain(`no EventStoreDB answers at esdb://127.0.0.1:${port}?tls=false (EVENTSTORE_CONNECTION_STRING)`);
    expect(embedded.code).toBe(2);
    expect(embedded.stderr).toContain(`no EventStoreDB answers at esdb://127.0.0.1:${port}?tls=false (embedded store of npm start)`);
    expect(embedded.stderr).toContain('npm start');
  });
});
