// Dashboard reads over real HTTP against the embedded store: what a newsroom tool posts
// is readable at once with the 201's position (read-your-writes, no sleep), the story
// list filters and pages, the company view, and every refusal as Problem Details.
import { SEED_IDS, SEED_STORY_EVENTS, type StoryEvent } from '@newsroom/domain';
import { startEmbeddedStore, type EmbeddedStore } from '@newsroom/esdb-server';
import { type RunningApi, startApi } from '../src/bootstrap';
import { type Answer, TOKENS, TOKENS_ENV, expectProblem, freshStoryId, get, postEvents, useNewsroom } from './support/api.harness';

jest.setTimeout(60_000);

const [ftReport, ftSources, followUp, fordDenial, xiaomiDenial] = SEED_STORY_EVENTS as [StoryEvent, StoryEvent, StoryEvent, StoryEvent, StoryEvent];

const newsroom = useNewsroom();

async function post(storyId: string, body: unknown): Promise<Answer> {
  const answer = await postEvents(newsroom, storyId, body);
  expect({ status: answer.status, body: answer.body }).toEqual({ status: 201, body: expect.anything() });
  return answer;
}

/** A report of its own outlet, so a list filtered by that outlet sees only the test's stories. */
function reportBy(outlet: string, reportId = 'r1', language = 'en'): StoryEvent {
  return {
    type: 'ReportPublished',
    data: {
      reportId,
      outlet,
      headline: `A story by ${outlet}`,
      language,
      publishedAt: '2025-02-01T10:00:00Z',
      claims: [{ claimId: 'c1', statement: 'Acme and Globex discussed a merger.', about: ['acme', 'globex'] }],
    },
  } as StoryEvent;
}

describe('given the seed story posted over HTTP', () => {
  let storyId: string;
  let position: string;
  beforeAll(async () => {
    storyId = freshStoryId('seed');
    const answer = await post(storyId, [...SEED_STORY_EVENTS]);
    position = answer.body.position;
  });

  it('when read back with the 201 position, then the story is there at once, its claim denied by both companies', async () => {
    const answer = await get(newsroom, `/stories/${storyId}?minPosition=${position}`);
    expect(answer.status).toBe(200);
    const story = answer.body;
    expect(story).toMatchObject({ storyId, revision: 4, position, languages: ['en', 'id'] });
    expect(story.reports.map((r: { outlet: string; language: string; status: string }) => [r.outlet, r.language, r.status])).toEqual([
      ['Financial Times', 'en', 'published'],
      ['Contoh Berita', 'id', 'published'],
    ]);
    expect(story.claims).toHaveLength(1);
    const [claim] = story.claims;
    expect(claim).toMatchObject({ claimId: SEED_IDS.claimId, about: ['ford', 'xiaomi'], status: 'denied' });
    expect(claim.sources).toMatchObject({ anonymous: 4, named: 0, document: 0, statement: 0 });
    expect(claim.denials.map((d: { companyId: string }) => d.companyId)).toEqual(['ford', 'xiaomi']);
    expect(claim.confirmations).toEqual([]);
  });

  it('when a reader posts and reads in a loop, then every read sees its own write (no sleep anywhere)', async () => {
    const id = freshStoryId('ryw');
    let answer = await post(id, ftReport);
    for (const [index, event] of [ftSources, followUp, fordDenial, xiaomiDenial].entries()) {
      const read = await get(newsroom, `/stories/${id}?minPosition=${answer.body.position}`);
      expect(read.body.revision).toBe(index);
      answer = await post(id, event);
    }
    const last = await get(newsroom, `/stories/${id}?minPosition=${answer.body.position}`);
    expect(last.body).toMatchObject({ revision: 4, position: answer.body.position });
  });

  it('when the company view is read, then each company lists its denial in the story', async () => {
    const ford = await get(newsroom, `/companies/ford?minPosition=${position}`);
    expect(ford.status).toBe(200);
    expect(ford.body).toMatchObject({ companyId: 'ford', companyName: 'Ford Motor Company', confirmations: [] });
    expect(ford.body.denials).toEqual(
      expect.arrayContaining([expect.objectContaining({ storyId, statement: 'The report is incorrect.', at: '2025-01-06T15:00:00Z' })]),
    );
    const xiaomi = await get(newsroom, `/companies/xiaomi?minPosition=${position}`);
    expect(xiaomi.body.denials).toEqual(expect.arrayContaining([expect.objectContaining({ storyId, language: 'id', reportedIn: SEED_IDS.followUpReportId })]));
  });

  it('when the timeline is read, then it lists the events in recording order, or by world time when asked', async () => {
    const recorded = await get(newsroom, `/stories/${storyId}/timeline?minPosition=${position}`);
    expect(recorded.status).toBe(200);
    expect(recorded.body.events.map((e: { revision: number; type: string }) => [e.revision, e.type])).toEqual([
      [0, 'ReportPublished'],
      [1, 'SourceCited'],
      [2, 'ReportPublished'],
      [3, 'CompanyDenied'],
      [4, 'CompanyDenied'],
    ]);
    // The denials happened before the Indonesian follow-up was published, though recorded after it.
    const happened = await get(newsroom, `/stories/${storyId}/timeline?order=happened`);
    expect(happened.body.events.map((e: { revision: number }) => e.revision)).toEqual([0, 1, 3, 4, 2]);
    expectProblem(await get(newsroom, `/stories/${storyId}/timeline?order=random`), 400);
    expectProblem(await get(newsroom, `/stories/${freshStoryId('never')}/timeline`), 404);
  });

  it('when an auditor reads the dashboard, then it answers too; a writer alone or no token is refused', async () => {
    expect((await get(newsroom, `/stories/${storyId}`, TOKENS.auditor)).status).toBe(200);
    expectProblem(await get(newsroom, `/stories/${storyId}`, TOKENS.writer), 403);
    expectProblem(await get(newsroom, `/stories/${storyId}`, null), 401);
    expectProblem(await get(newsroom, '/stories', TOKENS.writer), 403);
    expectProblem(await get(newsroom, '/companies/ford', TOKENS.writer), 403);
  });
});

describe('given a company that denied a claim and later confirmed it', () => {
  it("then the claim is confirmed, lists both responses, and shows that company's current stance as confirmed", async () => {
    const storyId = freshStoryId('turnaround');
    const respond = (type: 'CompanyDenied' | 'CompanyConfirmed', at: string, statement: string): StoryEvent =>
      ({
        type,
        data: {
          companyId: 'acme',
          companyName: 'Acme',
          statement,
          language: 'en',
          ...(type === 'CompanyDenied' ? { deniedAt: at, refutes: ['c1'] } : { confirmedAt: at, confirms: ['c1'] }),
        },
      }) as StoryEvent;
    await post(storyId, [reportBy(`Turnaround Desk ${process.pid}`), respond('CompanyDenied', '2025-03-01T09:00:00Z', 'There are no talks.')]);
    const last = await post(storyId, respond('CompanyConfirmed', '2025-06-01T09:00:00Z', 'We have agreed to merge.'));

    const answer = await get(newsroom, `/stories/${storyId}?minPosition=${last.body.position}`);
    expect(answer.status).toBe(200);
    const [claim] = answer.body.claims;
    expect(claim.status).toBe('confirmed');
    expect(claim.denials).toEqual([{ companyId: 'acme', statement: 'There are no talks.', at: '2025-03-01T09:00:00Z' }]);
    expect(claim.confirmations).toEqual([{ companyId: 'acme', statement: 'We have agreed to merge.', at: '2025-06-01T09:00:00Z' }]);
    expect(claim.stances).toEqual([
      { companyId: 'acme', stance: 'confirmed', at: '2025-06-01T09:00:00Z' },
      { companyId: 'globex', stance: 'none', at: null },
    ]);
    const confirmed = await get(newsroom, `/stories?status=confirmed&company=acme&outlet=${encodeURIComponent(`Turnaround Desk ${process.pid}`)}`);
    expect(confirmed.body.items.map((item: { storyId: string }) => item.storyId)).toEqual([storyId]);
  });
});

describe('the OpenAPI document', () => {
  it('describes the read, live, audit and admin routes', async () => {
    const answer = await get(newsroom, '/docs/json');
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body.paths)).toEqual(
      expect.arrayContaining(['/stories', '/stories/{storyId}', '/stories/{storyId}/history', '/companies/{companyId}', '/stream', '/admin/projections']),
    );
    const list = answer.body.paths['/stories'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['status', 'company', 'outlet', 'language', 'updatedSince', 'cursor', 'limit', 'minPosition']),
    );
  });
});

describe('unknown and malformed ids', () => {
  it('answers 404 for a story or company never recorded, 400 for an id that is not a slug', async () => {
    const story = await get(newsroom, `/stories/${freshStoryId('never')}`);
    expectProblem(story, 404);
    expect(story.body.code).toBe('STORY_NOT_FOUND');
    const company = await get(newsroom, '/companies/initech');
    expectProblem(company, 404);
    expect(company.body.code).toBe('COMPANY_NOT_FOUND');
    expectProblem(await get(newsroom, `/stories/${'x'.repeat(129)}`), 400);
    expectProblem(await get(newsroom, '/stories/bad%20id'), 400);
  });
});

describe('the story list', () => {
  it('filters by status, company, outlet, language and updatedSince, all combined', async () => {
    const outlet = `Filter Desk ${process.pid}`;
    const denied = freshStoryId('list-denied');
    const reported = freshStoryId('list-reported');
    const confirmed = freshStoryId('list-confirmed');
    await post(denied, [
      reportBy(outlet),
      {
        type: 'CompanyDenied',
        data: { companyId: 'acme', companyName: 'Acme', statement: 'No.', language: 'en', deniedAt: '2025-02-02T10:00:00Z', refutes: ['c1'] },
      },
      {
        type: 'CompanyDenied',
        data: { companyId: 'globex', companyName: 'Globex', statement: 'No.', language: 'en', deniedAt: '2025-02-02T11:00:00Z', refutes: ['c1'] },
      },
    ]);
    await post(reported, reportBy(outlet, 'r1', 'id'));
    const last = await post(confirmed, [
      reportBy(outlet),
      {
        type: 'CompanyConfirmed',
        data: { companyId: 'globex', companyName: 'Globex', statement: 'Yes.', language: 'en', confirmedAt: '2025-02-02T12:00:00Z', confirms: ['c1'] },
      },
    ]);
    const at = `minPosition=${last.body.position}`;
    const o = `outlet=${encodeURIComponent(outlet)}`;
    const ids = async (query: string): Promise<string[]> => {
      const answer = await get(newsroom, `/stories?${at}&${o}&${query}`);
      expect(answer.status).toBe(200);
      return answer.body.items.map((item: { storyId: string }) => item.storyId);
    };

    expect(await ids('')).toEqual([confirmed, reported, denied]); // newest story first
    expect(await ids('status=denied')).toEqual([denied]);
    expect(await ids('status=reported')).toEqual([reported]);
    expect(await ids('status=confirmed')).toEqual([confirmed]);
    expect(await ids('status=retracted')).toEqual([]);
    expect(await ids('company=globex&status=confirmed')).toEqual([confirmed]);
    expect(await ids('company=initech')).toEqual([]);
    expect(await ids('language=id')).toEqual([reported]);
    expect(await ids('language=ID')).toEqual([reported]);
    expect(await ids('updatedSince=2000-01-01T00:00:00Z')).toEqual([confirmed, reported, denied]);
    expect(await ids('updatedSince=2999-01-01T00:00:00Z')).toEqual([]);

    const page = await get(newsroom, `/stories?${at}&${o}&status=denied`);
    expect(page.body).toMatchObject({ nextCursor: null, position: expect.stringMatching(/^\d+$/) });
    expect(page.body.items[0]).toMatchObject({ storyId: denied, outlets: [outlet], languages: ['en'], claimStatuses: { denied: 1 } });
  });

  it('pages with a stable cursor: every story once, newest first, even when stories are added between pages', async () => {
    const outlet = `Paging Desk ${process.pid}`;
    const created: string[] = [];
    let position = '0';
    for (let i = 0; i < 5; i += 1) {
      const id = freshStoryId('page');
      created.push(id);
      position = (await post(id, reportBy(outlet))).body.position;
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/stories?outlet=${encodeURIComponent(outlet)}&limit=2&minPosition=${position}${cursor === null ? '' : `&cursor=${cursor}`}`;
      const answer = await get(newsroom, query);
      expect(answer.status).toBe(200);
      expect(answer.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...answer.body.items.map((item: { storyId: string }) => item.storyId));
      cursor = answer.body.nextCursor;
      pages += 1;
      // A story created while paging is newer than the first page: it must not shift the pages that follow.
      if (pages === 1) await post(freshStoryId('page-late'), reportBy(outlet));
    } while (cursor !== null);
    expect(seen).toEqual([...created].reverse());
    expect(pages).toBe(3);
  });

  it('matches company, outlet, language and status without regard to case, whichever case was posted', async () => {
    const outlet = `Case Desk ${process.pid}`;
    const lower = freshStoryId('case-lower');
    const upper = freshStoryId('case-upper');
    await post(lower, reportBy(outlet, 'r1', 'id'));
    const last = await post(upper, {
      ...reportBy(outlet.toUpperCase(), 'r1', 'ID'),
      data: {
        ...reportBy(outlet.toUpperCase(), 'r1', 'ID').data,
        claims: [{ claimId: 'c1', statement: 'ACME and Globex discussed a merger.', about: ['ACME', 'globex'] }],
      },
    });
    const ids = async (query: string): Promise<string[]> => {
      const answer = await get(newsroom, `/stories?minPosition=${last.body.position}&${query}`);
      expect({ query, status: answer.status }).toEqual({ query, status: 200 });
      return answer.body.items.map((item: { storyId: string }) => item.storyId);
    };
    for (const o of [outlet, outlet.toLowerCase(), outlet.toUpperCase()]) {
      expect(await ids(`outlet=${encodeURIComponent(o)}`)).toEqual([upper, lower]);
      for (const language of ['id', 'ID', 'Id']) expect(await ids(`outlet=${encodeURIComponent(o)}&language=${language}`)).toEqual([upper, lower]);
      for (const company of ['acme', 'ACME', 'Acme']) expect(await ids(`outlet=${encodeURIComponent(o)}&company=${company}`)).toEqual([upper, lower]);
      expect(await ids(`outlet=${encodeURIComponent(o)}&status=REPORTED`)).toEqual([upper, lower]);
    }
    expect(await ids(`outlet=${encodeURIComponent(outlet.slice(0, -1))}`)).toEqual([]);
    // The story keeps the outlet as posted; a language tag is recorded in the registry's case.
    const story = await get(newsroom, `/stories/${upper}`);
    expect(story.body).toMatchObject({ languages: ['id'], reports: [{ outlet: outlet.toUpperCase() }] });
  });

  it('refuses bad filters with 400 Problem Details naming the parameter', async () => {
    for (const query of [
      'status=bogus',
      'status=denied&status=reported',
      'limit=0',
      'limit=501',
      'limit=ten',
      'cursor=abc',
      'updatedSince=yesterday',
      'updatedSince=2025-02-30T00:00:00Z',
      'language=en_US',
      'company=not%20a%20slug',
      'minPosition=-1',
      'minPosition=99999999999999999999999',
      'colour=blue',
    ]) {
      const answer = await get(newsroom, `/stories?${query}`);
      expectProblem(answer, 400);
      expect({ query, code: answer.body.code }).toEqual({ query, code: 'INVALID_QUERY' });
      const parameter = query.slice(0, query.indexOf('='));
      expect({ query, parameters: answer.body.errors.map((e: { parameter: string }) => e.parameter) }).toEqual({
        query,
        parameters: expect.arrayContaining([parameter]),
      });
    }
    const answer = await get(newsroom, '/stories?status=bogus');
    expect(answer.body.errors).toEqual([expect.objectContaining({ parameter: 'status' })]);
  });
});

describe('given views that cannot reach the asked position in time', () => {
  let store: EmbeddedStore;
  let api: RunningApi;
  beforeAll(async () => {
    store = await startEmbeddedStore({ memory: true, port: 0 });
    api = await startApi({ connectionString: store.connectionString, tokens: TOKENS_ENV, port: 0, logger: false, views: { readWaitMs: 300 } });
  });
  afterAll(async () => {
    await api?.stop();
    await store?.stop();
  });

  it('answers 503 VIEWS_BEHIND with Retry-After after the bounded wait, and never waits unbounded', async () => {
    const started = performance.now();
    const answer = await get(api, '/stories/anything?minPosition=18446744073709551615');
    const waited = performance.now() - started;
    expectProblem(answer, 503);
    expect(answer.body).toMatchObject({ code: 'VIEWS_BEHIND', minPosition: '18446744073709551615' });
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(waited).toBeGreaterThanOrEqual(250);
    expectProblem(await get(api, '/stories?minPosition=18446744073709551615'), 503);
    expectProblem(await get(api, '/companies/ford?minPosition=18446744073709551615'), 503);
  });

  it('answers at once when the position is already reached', async () => {
    const opened = await postEvents(api, 'quick', ftReport);
    expect(opened.status).toBe(201);
    const answer = await get(api, `/stories/quick?minPosition=${opened.body.position}`);
    expect(answer.status).toBe(200);
  });
});
