// The rate limits `npm start` runs with, from its variables: none with the development tokens,
// the deployed budgets with NEWSROOM_TOKENS, what NEWSROOM_RATE_LIMIT_WRITES/_READS say
// otherwise, and no start at all on a value they do not accept.
import type { ChildProcess } from 'node:child_process';
import { SEED_STORY_EVENTS } from '@newsroom/domain';
import { type EmbeddedStore, startEmbeddedStore } from '@newsroom/esdb-server';
import { DEPLOYED_RATE_LIMITS } from '../src/rate-limit/rate-limit.options';
import { expectProblem, freshStoryId, get, postEvents, TOKENS } from './support/api.harness';
import { killed, startApiProgram } from './support/api.program';

jest.setTimeout(120_000);

const [report] = SEED_STORY_EVENTS;

let store: EmbeddedStore;
const programs: ChildProcess[] = [];

beforeAll(async () => {
  store = await startEmbeddedStore({ memory: true, port: 0 });
});

afterAll(async () => {
  await Promise.all(programs.map((child) => killed(child, 'SIGTERM')));
  await store?.stop();
});

async function apiWith(env: Readonly<Record<string, string>>): Promise<{ url: string }> {
  const program = await startApiProgram({ EVENTSTORE_CONNECTION_STRING: store.connectionString, ...env });
  programs.push(program.child);
  return { url: program.url };
}

/** Unset, as far as the api's rules go (the test programs' own default is off). */
const UNSET = { NEWSROOM_RATE_LIMIT_WRITES: '', NEWSROOM_RATE_LIMIT_READS: '' };

describe('the rate limits of npm start', () => {
  it('given the development tokens (NEWSROOM_TOKENS unset), then nothing is limited', async () => {
    const api = await apiWith({ ...UNSET, NEWSROOM_TOKENS: '' });
    const posts = await Promise.all(Array.from({ length: 50 }, () => postEvents(api, freshStoryId('dev'), report, { token: 'dev-writer' })));
    const reads = await Promise.all(Array.from({ length: 100 }, () => get(api, '/stories?limit=1', 'dev-reader')));
    expect([...new Set(posts.map((answer) => answer.status))]).toEqual([201]);
    expect([...new Set(reads.map((answer) => answer.status))]).toEqual([200]);
    expect(posts[0]!.headers.get('ratelimit-limit')).toBeNull();
    expect(reads[0]!.headers.get('ratelimit-limit')).toBeNull();
  });

  it('given NEWSROOM_TOKENS and no limit variable, then the deployed budgets; given NEWSROOM_RATE_LIMIT_WRITES, then that one', async () => {
    const deployed = await apiWith({ ...UNSET });
    const post = await postEvents(deployed, freshStoryId('deployed'), report);
    expect(post.status).toBe(201);
    expect(post.headers.get('ratelimit-limit')).toBe(String(DEPLOYED_RATE_LIMITS.writes.max));
    expect((await get(deployed, '/stories?limit=1')).headers.get('ratelimit-limit')).toBe(String(DEPLOYED_RATE_LIMITS.reads.max));

    const tight = await apiWith({ ...UNSET, NEWSROOM_RATE_LIMIT_WRITES: '2/m' });
    expect((await postEvents(tight, freshStoryId('tight'), report)).status).toBe(201);
    expect((await postEvents(tight, freshStoryId('tight'), report)).status).toBe(201);
    const refused = await postEvents(tight, freshStoryId('tight'), report);
    expectProblem(refused, 429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await get(tight, '/stories?limit=1', TOKENS.reader)).headers.get('ratelimit-limit')).toBe(String(DEPLOYED_RATE_LIMITS.reads.max));
  });

  it('given a limit it does not accept, then the api does not start and names the variable', async () => {
    await expect(apiWith({ ...UNSET, NEWSROOM_RATE_LIMIT_READS: 'lots' })).rejects.toThrow(/NEWSROOM_RATE_LIMIT_READS must be .*"lots"/);
  });
});
