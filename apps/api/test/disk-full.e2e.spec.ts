// A full disk under a running api: posts answer 503 STORE_FULL with Retry-After (never a 500),
// /health answers 503 with the reason while writes fail, the log names the file and the cause,
// nothing acknowledged is lost, and writes resume once space is freed, without a restart.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventStoreDBClient } from '@eventstore/db-client';
import { SEED_STORY_EVENTS } from '@newsroom/domain';
import { type EmbeddedStore, type StorageFaults, startEmbeddedStore } from '@newsroom/esdb-server';
import { type RunningApi, startApi } from '../src/bootstrap';
import { type Answer, TOKENS_ENV, expectProblem, freshStoryId, get, postEvents, readStory } from './support/api.harness';
import { mountSmallFilesystem, type SmallFilesystem } from './support/small-filesystem';

jest.setTimeout(120_000);

const [report, sources] = SEED_STORY_EVENTS;

function expectStoreFull(answer: Answer): void {
  expectProblem(answer, 503);
  expect(answer.body.code).toBe('STORE_FULL');
  expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
}

async function expectHealthFull(api: { url: string }): Promise<void> {
  const health = await get(api, '/health', null);
  expectProblem(health, 503);
  expect(health.body).toMatchObject({ code: 'STORE_FULL', store: { status: 'up', writes: 'failing', reason: 'STORE_FULL' } });
  expect(health.headers.get('retry-after')).toMatch(/^\d+$/);
  // The anonymous body names nothing inside: no file, no address, no store error.
  expect(health.text).not.toMatch(/sqlite|ENOSPC|SQLITE_FULL|127\.0\.0\.1|esdb:|\/tmp\//i);
}

describe('given a running api whose store fails its writes and syncs as a full disk does (injected at the engine)', () => {
  const faults: StorageFaults = { failWrites: 0, failSyncs: 0 };
  let workDir: string;
  let store: EmbeddedStore;
  let api: RunningApi;
  let client: EventStoreDBClient;
  let warnings: jest.SpyInstance;

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-disk-full-'));
    warnings = jest.spyOn(process, 'emitWarning');
    store = await startEmbeddedStore({ dataDir: path.join(workDir, 'data'), port: 0, faults });
    api = await startApi({ connectionString: store.connectionString, tokens: TOKENS_ENV, port: 0, logger: false });
    client = EventStoreDBClient.connectionString(store.connectionString);
  });
  afterAll(async () => {
    warnings?.mockRestore();
    await client?.dispose();
    await api?.stop();
    await store?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  const open = (storyId: string): Promise<Answer> => postEvents(api, storyId, report);

  it('when a commit fails for want of space, then 503 STORE_FULL with Retry-After, /health 503 with the reason, the store logs the file and SQLITE_FULL; the next post is 201 and /health 200', async () => {
    const storyId = freshStoryId('full-write');
    expect((await open(storyId)).status).toBe(201);

    faults.failWrites = 1;
    const refused = await postEvents(api, storyId, sources);
    expectStoreFull(refused);
    await expectHealthFull(api);
    const walFile = path.join(workDir, 'data', 'store.sqlite-wal');
    expect(warnings.mock.calls.map(([message]) => String(message))).toContainEqual(expect.stringMatching(/SQLITE_FULL/));
    expect(warnings.mock.calls.map(([message]) => String(message))).toContainEqual(expect.stringContaining(walFile));
    expect(await readStory(client, storyId)).toHaveLength(1);

    const resumed = await postEvents(api, storyId, sources);
    expect(resumed.status).toBe(201);
    expect((await get(api, '/health', null)).status).toBe(200);
    expect((await readStory(client, storyId)).map((event) => event.type)).toEqual(['ReportPublished', 'SourceCited']);
  });

  it('when the sync of the log fails with ENOSPC, then 503 STORE_FULL and /health 503 until a write succeeds; the refused events are not in the log', async () => {
    const storyId = freshStoryId('full-sync');
    faults.failSyncs = 1;
    expectStoreFull(await open(storyId));
    await expectHealthFull(api);
    expect(warnings.mock.calls.map(([message]) => String(message))).toContainEqual(expect.stringMatching(/ENOSPC/));
    expect(await readStory(client, storyId)).toEqual([]);

    expect((await open(storyId)).status).toBe(201);
    expect((await get(api, '/health', null)).status).toBe(200);
    expect(await readStory(client, storyId)).toHaveLength(1);
  });

  it('when 16 tools post at once through rounds of failing commits and syncs, then every post is 201 or 503 STORE_FULL, every 201 is in the log and no 503 is', async () => {
    const acknowledged = new Map<string, string[]>();
    const refusedStories: string[] = [];
    for (let round = 0; round < 12; round += 1) {
      if (round % 3 === 1) faults.failWrites = 1 + (round % 2);
      if (round % 3 === 2) faults.failSyncs = 1;
      const storyIds = Array.from({ length: 16 }, () => freshStoryId(`full-race-${round}`));
      const answers = await Promise.all(storyIds.map(open));
      answers.forEach((answer, i) => {
        if (answer.status === 201) return void acknowledged.set(storyIds[i], answer.body.eventIds);
        expectStoreFull(answer);
        refusedStories.push(storyIds[i]);
      });
    }
    expect(refusedStories.length).toBeGreaterThan(0);
    for (const [storyId, eventIds] of acknowledged) {
      expect((await readStory(client, storyId)).map((event) => event.id)).toEqual(eventIds);
    }
    for (const storyId of refusedStories) expect(await readStory(client, storyId)).toEqual([]);
    expect((await postEvents(api, freshStoryId('full-after'), report)).status).toBe(201);
  });
});

describe('given an api whose embedded store lives on a small real file system (tmpfs) that fills up', () => {
  let small: SmallFilesystem | undefined;
  let api: RunningApi | undefined;
  let client: EventStoreDBClient | undefined;
  let stderr: jest.SpyInstance | undefined;

  beforeAll(async () => {
    const mounted = mountSmallFilesystem(1024 * 1024);
    if ('unavailable' in mounted) {
      console.warn(`the tmpfs disk-full test does not run here: ${mounted.unavailable}`);
      return;
    }
    small = mounted;
    stderr = jest.spyOn(process.stderr, 'write');
    api = await startApi({ embeddedStore: { dataDir: path.join(small.dir, 'data'), port: 0 }, tokens: TOKENS_ENV, port: 0 });
    client = EventStoreDBClient.connectionString(api.storeConnectionString);
  });
  afterAll(async () => {
    stderr?.mockRestore();
    await client?.dispose();
    await api?.stop();
    small?.unmount();
  });

  it('when the file system is full, then posts answer 503 STORE_FULL and /health 503; the log names the file and the cause; once space is freed, posts answer 201 without a restart and nothing acknowledged is lost', async () => {
    if (small === undefined || api === undefined || client === undefined) return; // said why in beforeAll
    const storyId = freshStoryId('tmpfs');
    const opened = await postEvents(api, storyId, report);
    expect(opened.status).toBe(201);

    const free = small.fill();
    const refused = await postEvents(api, storyId, sources);
    expectStoreFull(refused);
    await expectHealthFull(api);
    // The store's thread writes its warnings to the process's stderr.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const logged = stderr!.mock.calls.map(([chunk]) => String(chunk)).join('');
    expect(logged).toMatch(/SQLITE_FULL|ENOSPC/);
    expect(logged).toContain(path.join(small.dir, 'data', 'store.sqlite'));

    free();
    const resumed = await postEvents(api, storyId, sources);
    expect(resumed.status).toBe(201);
    expect((await get(api, '/health', null)).status).toBe(200);
    expect((await readStory(client, storyId)).map((event) => event.id)).toEqual([...opened.body.eventIds, ...resumed.body.eventIds]);
  });
});
