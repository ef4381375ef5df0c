// The OpenAPI contract against the running api: after the seed story (and a story with a
// correction, a confirmation and a retraction, for the fields the seed leaves out) is posted
// over HTTP, every read route's real answer, and a sample of its refusals, is valid against
// the schema the document gives for that route and status.
import { SEED_IDS, SEED_STORY_EVENTS } from '@newsroom/domain';
import { type Answer, TOKENS, freshStoryId, get, postEvents, useNewsroom } from './support/api.harness';
import { type Contract, contractOf } from './support/openapi-contract';

jest.setTimeout(60_000);

const newsroom = useNewsroom();
let contract: Contract;
let seed: Answer;
let later: Answer;
const storyId = freshStoryId('contract-seed');
const otherStoryId = freshStoryId('contract-retracted');

beforeAll(async () => {
  const document = await get(newsroom, '/docs/json', TOKENS.reader);
  expect(document.status).toBe(200);
  contract = contractOf(document.body);
  seed = await postEvents(newsroom, storyId, SEED_STORY_EVENTS);
  expect(seed.status).toBe(201);
  later = await postEvents(newsroom, otherStoryId, [
    {
      type: 'ReportPublished',
      data: {
        reportId: 'wire-1',
        outlet: 'Example Wire',
        headline: 'Ford confirms a pilot plant',
        url: 'https://example.com/ford-pilot',
        language: 'en',
        publishedAt: '2025-02-01T08:00:00Z',
        claims: [{ claimId: 'pilot-plant', statement: 'Ford plans a pilot plant.', about: ['ford'] }],
      },
    },
    { type: 'ReportCorrected', data: { reportId: 'wire-1', correction: 'The plant is in Ohio.', correctedAt: '2025-02-01T10:00:00Z' } },
    {
      type: 'CompanyConfirmed',
      data: {
        companyId: 'ford',
        companyName: 'Ford',
        statement: 'We confirm the plan.',
        language: 'en',
        confirmedAt: '2025-02-02T09:00:00Z',
        confirms: ['pilot-plant'],
      },
    },
    { type: 'ReportRetracted', data: { reportId: 'wire-1', reason: 'The source withdrew.', retractedAt: '2025-02-03T09:00:00Z' } },
  ]);
  expect(later.status).toBe(201);
});

const at = (answer: Answer) => `minPosition=${answer.body.position}`;

describe('the answers of the api hold to its OpenAPI document', () => {
  it('when a writer posts, then the 201 is a RecordedAnswer', () => {
    contract.expectDocumented(seed, 'POST', '/stories/{storyId}/events');
    contract.expectDocumented(later, 'POST', '/stories/{storyId}/events');
  });

  it('when the seed story’s events are checked against the documented body, then each is a PostedEvent, and a field too many is not', () => {
    for (const event of SEED_STORY_EVENTS) contract.expectSchema('PostedEvent', event);
    const [report] = SEED_STORY_EVENTS;
    expect(contract.accepts('PostedEvent', { ...report, note: 'x' })).toBe(false);
    expect(contract.accepts('PostedEvent', { ...report, data: { ...report!.data, note: 'x' } })).toBe(false);
    expect(contract.accepts('PostedEvent', { ...report, type: 'SourceCited' })).toBe(false);
  });

  it('when a reader reads each story, then it is a Story', async () => {
    for (const id of [storyId, otherStoryId]) {
      const answer = await get(newsroom, `/stories/${id}?${at(later)}`, TOKENS.reader);
      expect(answer.status).toBe(200);
      contract.expectDocumented(answer, 'GET', '/stories/{storyId}');
    }
    const retracted = await get(newsroom, `/stories/${otherStoryId}`, TOKENS.reader);
    expect(retracted.body.reports[0]).toEqual(expect.objectContaining({ status: 'retracted', url: 'https://example.com/ford-pilot' }));
  });

  it('when an auditor reads a story as of a time and at a revision, then each is a Story', async () => {
    const asOf = await get(newsroom, `/stories/${storyId}?asOf=${encodeURIComponent(new Date().toISOString())}`, TOKENS.auditor);
    const atRevision = await get(newsroom, `/stories/${storyId}?atRevision=1`, TOKENS.auditor);

    expect([asOf.status, atRevision.status]).toEqual([200, 200]);
    contract.expectDocumented(asOf, 'GET', '/stories/{storyId}');
    contract.expectDocumented(atRevision, 'GET', '/stories/{storyId}');
  });

  it('when a reader lists stories (first page, next page, filtered), then each is a StoryListPage', async () => {
    const first = await get(newsroom, `/stories?limit=1&${at(later)}`, TOKENS.reader);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await get(newsroom, `/stories?limit=1&cursor=${first.body.nextCursor}`, TOKENS.reader);
    const denied = await get(newsroom, '/stories?status=denied&company=ford&language=id', TOKENS.reader);

    for (const answer of [first, next, denied]) {
      expect(answer.status).toBe(200);
      contract.expectDocumented(answer, 'GET', '/stories');
    }
    expect(denied.body.items.map((item: { storyId: string }) => item.storyId)).toContain(storyId);
  });

  it('when a reader reads a timeline in either order, then it is a StoryTimeline', async () => {
    for (const order of ['recorded', 'happened']) {
      const answer = await get(newsroom, `/stories/${storyId}/timeline?order=${order}&${at(later)}`, TOKENS.reader);
      expect(answer.status).toBe(200);
      contract.expectDocumented(answer, 'GET', '/stories/{storyId}/timeline');
    }
  });

  it('when a reader reads a company that denied and one that confirmed, then each is a Company', async () => {
    for (const companyId of [SEED_IDS.companies.xiaomi, SEED_IDS.companies.ford]) {
      const answer = await get(newsroom, `/companies/${companyId}?${at(later)}`, TOKENS.reader);
      expect(answer.status).toBe(200);
      contract.expectDocumented(answer, 'GET', '/companies/{companyId}');
    }
  });

  it('when an auditor reads a history and the views’ status, then they are a StoryHistory and a ProjectionsStatus', async () => {
    const history = await get(newsroom, `/stories/${storyId}/history`, TOKENS.auditor);
    const projections = await get(newsroom, `/admin/projections?${at(later)}`, TOKENS.auditor);

    expect([history.status, projections.status]).toEqual([200, 200]);
    contract.expectDocumented(history, 'GET', '/stories/{storyId}/history');
    contract.expectDocumented(projections, 'GET', '/admin/projections');
  });

  it('when anyone asks /health and a token asks /session, then they are a Health and a Session', async () => {
    const health = await get(newsroom, '/health', null);
    const session = await get(newsroom, '/session', TOKENS.editor);

    expect([health.status, session.status]).toEqual([200, 200]);
    contract.expectDocumented(health, 'GET', '/health');
    contract.expectDocumented(session, 'GET', '/session');
  });

  it('when a reader follows /stream and a story changes, then its frames are a StreamReady and a StreamStoryChange', async () => {
    const abort = new AbortController();
    const response = await fetch(`${newsroom.url}/stream?storyId=${storyId}`, { headers: { authorization: `Bearer ${TOKENS.reader}` }, signal: abort.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const frames = readFrames(response);
    try {
      const ready = await frames.next('ready');
      const posted = await postEvents(newsroom, storyId, {
        type: 'CompanyConfirmed',
        data: {
          companyId: 'ford',
          companyName: 'Ford',
          statement: 'Talks took place.',
          language: 'en',
          confirmedAt: '2025-01-09T09:00:00Z',
          confirms: [SEED_IDS.claimId],
        },
      });
      expect(posted.status).toBe(201);
      const change = await frames.next('story');

      contract.expectSchema('StreamReady', ready);
      contract.expectSchema('StreamStoryChange', change);
      expect(change).toEqual(expect.objectContaining({ storyId, type: 'CompanyConfirmed', story: expect.objectContaining({ storyId }) }));
    } finally {
      abort.abort();
    }
  });

  it.each([
    ['an unknown story', '/stories/no-such-story', TOKENS.reader, 404, 'GET', '/stories/{storyId}'],
    ['an unknown company', '/companies/no-such-company', TOKENS.reader, 404, 'GET', '/companies/{companyId}'],
    ['a bad query', '/stories?limit=0&colour=red', TOKENS.reader, 400, 'GET', '/stories'],
    ['no token', '/stories', null, 401, 'GET', '/stories'],
    ['a writer reading history', `/stories/${storyId}/history`, TOKENS.writer, 403, 'GET', '/stories/{storyId}/history'],
  ])('when a read is refused for %s, then the problem is documented for that route and status', async (_case, path, token, status, method, route) => {
    const answer = await get(newsroom, path, token);

    expect(answer.status).toBe(status);
    contract.expectDocumented(answer, method, route);
  });

  it('when a post breaks a rule or a field is wrong, then the problem is documented with its code', async () => {
    const rule = await postEvents(newsroom, storyId, SEED_STORY_EVENTS[0]);
    const field = await postEvents(newsroom, storyId, { type: 'SourceCited', data: { reportId: SEED_IDS.ftReportId } });

    expect([rule.status, field.status]).toEqual([409, 400]);
    contract.expectDocumented(rule, 'POST', '/stories/{storyId}/events');
    contract.expectDocumented(field, 'POST', '/stories/{storyId}/events');
  });
});

/** The `data` of each Server-Sent Event as it arrives, by event name. */
function readFrames(response: Response): { next(event: string): Promise<unknown> } {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(event) {
      for (;;) {
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const lines = buffer.slice(0, end).split('\n');
          buffer = buffer.slice(end + 2);
          const data = lines.find((line) => line.startsWith('data: '));
          if (lines.includes(`event: ${event}`) && data !== undefined) return JSON.parse(data.slice('data: '.length));
        }
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before an ${event} event`);
        buffer += decoder.decode(value, { stream: true });
      }
    },
  };
}
