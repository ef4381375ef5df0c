// `npm start` killed with SIGKILL, or stopped with SIGTERM, while newsroom tools are
// posting: every post the api answered 201 must be in the log after a restart on the same
// data, and in the views once they have caught up. The api runs as its own program here (the store on a thread of its
// process, the appends on another), so nothing of it survives the kill but what is on disk.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SEED_STORY_EVENTS } from '@newsroom/domain';
import { get, postEvents, TOKENS } from './support/api.harness';
import { type ApiProgram, killed, startApiProgram } from './support/api.program';

jest.setTimeout(120_000);

const WRITERS = 16;
/**
 * The stop comes once this many posts were answered (or after LOAD_LIMIT_MS): mid-load on a
 * quiet machine and on a busy one alike, where a fixed delay could end before the first answers.
 */
const ACKNOWLEDGED_BEFORE_STOP = 4 * WRITERS;
const LOAD_LIMIT_MS = 15_000;

/** Resolves once `acknowledged` holds `count` answers, or after `limitMs`. */
async function underLoad(acknowledged: readonly unknown[], count = ACKNOWLEDGED_BEFORE_STOP, limitMs = LOAD_LIMIT_MS): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (acknowledged.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** `npm start`'s program with the embedded store on the test's data directory. */
const startOnData = (dataDir: string) => startApiProgram({ EMBEDDED_STORE_PORT: '0', EMBEDDED_STORE_DATA_DIR: dataDir });

interface Acknowledged {
  readonly storyId: string;
  readonly revision: number;
  readonly position: string;
  readonly eventIds: readonly string[];
}

/**
 * Posts the seed story's events one by one to story after story until the api is gone (or,
 * stopping, answers 503); keeps what was answered 201. Any other answer fails the test.
 */
async function writer(url: string, name: string, acknowledged: Acknowledged[]): Promise<void> {
  for (let story = 0; ; story++) {
    const storyId = `${name}-${story}`;
    for (const event of SEED_STORY_EVENTS) {
      let answer;
      try {
        answer = await postEvents({ url }, storyId, event);
      } catch {
        return; // the api is gone
      }
      if (answer.status === 503) return;
      if (answer.status !== 201) throw new Error(`post answered ${answer.status}: ${answer.text}`);
      acknowledged.push(answer.body as Acknowledged);
    }
  }
}

/** Every acknowledged event is in its story at the answered revision, and the views hold it. */
async function expectKept(api: ApiProgram, acknowledged: readonly Acknowledged[]): Promise<void> {
  const last = acknowledged.reduce((max, answer) => (BigInt(answer.position) > BigInt(max) ? answer.position : max), '0');
  const byStory = new Map<string, Acknowledged[]>();
  for (const answer of acknowledged) byStory.set(answer.storyId, [...(byStory.get(answer.storyId) ?? []), answer]);
  for (const [storyId, answers] of byStory) {
    const history = await get(api, `/stories/${storyId}/history`, TOKENS.auditor);
    expect(history.status).toBe(200);
    const recorded = new Map<string, number>(
      (history.body.events as { eventId: string; revision: number }[]).map((event) => [event.eventId, Number(event.revision)]),
    );
    for (const answer of answers) {
      const eventId = answer.eventIds[0]!;
      expect({ storyId, eventId, revision: recorded.get(eventId) }).toEqual({ storyId, eventId, revision: answer.revision });
    }
  }
  // The views, once they hold everything up to the last acknowledged position.
  for (const [storyId, answers] of byStory) {
    const story = await get(api, `/stories/${storyId}?minPosition=${last}`);
    expect(story.status).toBe(200);
    expect(story.body.revision).toBeGreaterThanOrEqual(Math.max(...answers.map((answer) => answer.revision)));
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

let dataDir: string;
let running: ChildProcess | undefined;

beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'newsroom-api-crash-'));
});

afterAll(async () => {
  if (running !== undefined) await killed(running);
  rmSync(dataDir, { recursive: true, force: true });
});

it('keeps every post it answered 201 through a SIGKILL of npm start, in the log and in the views', async () => {
  const first = await startOnData(dataDir);
  running = first.child;
  const acknowledged: Acknowledged[] = [];
  const writers = Array.from({ length: WRITERS }, (_, index) => writer(first.url, `killed-${index}`, acknowledged));
  await underLoad(acknowledged);
  await killed(first.child);
  await Promise.all(writers);
  expect(acknowledged.length).toBeGreaterThan(WRITERS);

  const second = await startOnData(dataDir);
  running = second.child;
  await expectKept(second, acknowledged);
});

// Its own time limit: a connection held open after its answer would hold the stop for
// Fastify's keep-alive timeout (72 s), and this test with it.
it('stops on SIGTERM under load without waiting on idle keep-alive connections, exits 0, and keeps every 201', async () => {
  if (running !== undefined) await killed(running);
  const first = await startOnData(dataDir);
  running = first.child;
  const acknowledged: Acknowledged[] = [];
  const writers = Array.from({ length: WRITERS }, (_, index) => writer(first.url, `stopped-${index}`, acknowledged));
  await underLoad(acknowledged);
  first.child.kill('SIGTERM');
  expect(await exited(first.child)).toBe(0);
  await Promise.all(writers);
  expect(acknowledged.length).toBeGreaterThan(WRITERS);

  const second = await startOnData(dataDir);
  running = second.child;
  await expectKept(second, acknowledged);
}, 45_000);
