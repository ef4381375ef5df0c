// Audit over real HTTP against the embedded store: a story's history from its stream,
// and its state as of a recording time or a revision, folded from the stream (never the
// views). The api's clock is pinned so "before the denials" is a time we choose.
import { SEED_IDS, SEED_STORY_EVENTS } from '@newsroom/domain';
import { startEmbeddedStore, type EmbeddedStore } from '@newsroom/esdb-server';
import { type RunningApi, startApi } from '../src/bootstrap';
import { TOKENS, TOKENS_ENV, expectProblem, get, postEvents } from './support/api.harness';

jest.setTimeout(60_000);

const STORY = 'audited-story';
/** Each seed event is recorded one hour after the previous one, from this time. */
const FIRST_RECORDED = Date.parse('2025-01-07T08:00:00.000Z');
const HOUR = 3_600_000;

let store: EmbeddedStore;
let api: RunningApi;
let now = FIRST_RECORDED;
const positions: string[] = [];

beforeAll(async () => {
  store = await startEmbeddedStore({ memory: true, port: 0 });
  api = await startApi({ connectionString: store.connectionString, tokens: TOKENS_ENV, port: 0, logger: false, clock: () => new Date(now) });
  for (const [index, event] of SEED_STORY_EVENTS.entries()) {
    now = FIRST_RECORDED + index * HOUR;
    const answer = await postEvents(api, STORY, event);
    expect(answer.status).toBe(201);
    positions.push(answer.body.position);
  }
});

afterAll(async () => {
  await api?.stop();
  await store?.stop();
});

const auditor = (path: string) => get(api, path, TOKENS.auditor);
const iso = (ms: number) => new Date(ms).toISOString();

describe("a story's history", () => {
  it('lists every event with revision, position, type, recordedAt, recordedBy and data, in stream order', async () => {
    const answer = await auditor(`/stories/${STORY}/history`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ storyId: STORY, revision: 4 });
    expect(answer.body.events).toHaveLength(5);
    answer.body.events.forEach((event: Record<string, unknown>, index: number) => {
      expect(event).toMatchObject({
        revision: index,
        position: positions[index],
        type: SEED_STORY_EVENTS[index]!.type,
        recordedAt: iso(FIRST_RECORDED + index * HOUR),
        recordedBy: expect.any(String),
        data: SEED_STORY_EVENTS[index]!.data,
      });
    });
    // The principal is recorded, never the token itself.
    expect(JSON.stringify(answer.body)).not.toContain(TOKENS.writer);
  });

  it('is for auditors only, 404 for an unknown story, 400 for a bad id or minPosition', async () => {
    expectProblem(await get(api, `/stories/${STORY}/history`, TOKENS.reader), 403);
    expectProblem(await get(api, `/stories/${STORY}/history`, TOKENS.writer), 403);
    expectProblem(await get(api, `/stories/${STORY}/history`, null), 401);
    const unknown = await auditor('/stories/never-recorded/history');
    expectProblem(unknown, 404);
    expect(unknown.body.code).toBe('STORY_NOT_FOUND');
    expectProblem(await auditor(`/stories/${STORY}/history?minPosition=x`), 400);
  });
});

describe('a story as of a time or a revision', () => {
  it('as of a time between the follow-up and the denials: the claim is only reported, nobody has denied it', async () => {
    const beforeDenials = iso(FIRST_RECORDED + 2 * HOUR + HOUR / 2);
    const answer = await auditor(`/stories/${STORY}?asOf=${beforeDenials}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ storyId: STORY, revision: 2, position: positions[2], languages: ['en', 'id'] });
    expect(answer.body.claims[0]).toMatchObject({ claimId: SEED_IDS.claimId, status: 'reported', denials: [] });
    expect(answer.body.claims[0].sources.anonymous).toBe(4);
  });

  it('at revision 3 (Ford denied, Xiaomi not yet): disputed; at the last revision: denied, as the live view says', async () => {
    const disputed = await auditor(`/stories/${STORY}?atRevision=3`);
    expect(disputed.body).toMatchObject({ revision: 3 });
    expect(disputed.body.claims[0]).toMatchObject({ status: 'disputed' });
    expect(disputed.body.claims[0].denials.map((d: { companyId: string }) => d.companyId)).toEqual(['ford']);

    const folded = await auditor(`/stories/${STORY}?atRevision=4`);
    const live = await get(api, `/stories/${STORY}?minPosition=${positions[4]}`, TOKENS.reader);
    expect(folded.body.claims[0].status).toBe('denied');
    expect(folded.body).toEqual(live.body);
  });

  it('at revision 3 each subject shows its stance then: Ford denied, Xiaomi none yet', async () => {
    const answer = await auditor(`/stories/${STORY}?atRevision=3`);
    expect(answer.body.claims[0].stances).toEqual([
      { companyId: 'ford', stance: 'denied', at: '2025-01-06T15:00:00Z' },
      { companyId: 'xiaomi', stance: 'none', at: null },
    ]);
  });

  it('at a revision beyond the head: 404 REVISION_NOT_FOUND naming the head, whether or not asOf is given', async () => {
    for (const query of ['atRevision=5', 'atRevision=4000', 'atRevision=9999999999', `atRevision=5&asOf=${iso(FIRST_RECORDED + 10 * HOUR)}`]) {
      const answer = await auditor(`/stories/${STORY}?${query}`);
      expectProblem(answer, 404);
      expect({ query, body: answer.body }).toEqual({ query, body: expect.objectContaining({ code: 'REVISION_NOT_FOUND', storyId: STORY, revision: 4 }) });
    }
    // The head itself is a revision the story has.
    expect((await auditor(`/stories/${STORY}?atRevision=4`)).status).toBe(200);
  });

  it('asOf and atRevision together: the earlier cutoff wins', async () => {
    const answer = await auditor(`/stories/${STORY}?asOf=${iso(FIRST_RECORDED + 4 * HOUR)}&atRevision=1`);
    expect(answer.body).toMatchObject({ revision: 1 });
    expect(answer.body.reports).toHaveLength(1);
  });

  it('before the story was first recorded: 404; a reader may not ask; bad values are 400', async () => {
    const before = await auditor(`/stories/${STORY}?asOf=${iso(FIRST_RECORDED - 1)}`);
    expectProblem(before, 404);
    expect(before.body.code).toBe('STORY_NOT_FOUND');
    expectProblem(await get(api, `/stories/${STORY}?asOf=${iso(FIRST_RECORDED)}`, TOKENS.reader), 403);
    expectProblem(await get(api, `/stories/${STORY}?atRevision=1`, TOKENS.reader), 403);
    for (const query of ['asOf=yesterday', 'asOf=2025-01-07', 'atRevision=-1', 'atRevision=1.5', 'atRevision=']) {
      expectProblem(await auditor(`/stories/${STORY}?${query}`), 400);
    }
  });
});
