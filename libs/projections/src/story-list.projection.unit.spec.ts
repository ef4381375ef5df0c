import { SEED_STORY_EVENTS, SEED_STORY_ID, type StoryEvent } from '@newsroom/domain';
import type { ProjectionQueryError } from './projection.errors';
import { createNewsroomViews, evolveNewsroomViews, type NewsroomViews } from './newsroom.views';
import { getStorySummary, listStories, type StoryListFilters } from './story-list.projection';
import { RecordedLog } from './testing/recorded-log.builder';
import type { ViewEvent } from './view-event';

function project(events: readonly ViewEvent[], views: NewsroomViews = createNewsroomViews()): NewsroomViews {
  for (const event of events) evolveNewsroomViews(views, event);
  return views;
}

const published = (n: number, outlet: string, language: string, about: string[]): StoryEvent => ({
  type: 'ReportPublished',
  data: {
    reportId: `report-${n}`,
    outlet,
    headline: `Story ${n}`,
    language,
    publishedAt: '2025-03-01T08:00:00Z',
    claims: [{ claimId: `claim-${n}`, statement: `Claim ${n}.`, about }],
  },
});
const deniedBy = (n: number, companyId: string): StoryEvent => ({
  type: 'CompanyDenied',
  data: { companyId, companyName: companyId, statement: 'No.', language: 'en', deniedAt: '2025-03-01T10:00:00Z', refutes: [`claim-${n}`] },
});

/** Every page of a listing, following nextCursor. */
function allPages(index: NewsroomViews, filters: StoryListFilters, limit: number): string[][] {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const page = listStories(index, filters, cursor, limit);
    pages.push(page.items.map((s) => s.storyId));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return pages;
}

describe('story list index', () => {
  // story-0 .. story-119: every third story by "Daily Planet" in French about acme, the rest by
  // "Example Wire" in English about globex; stories 0..9 also denied by their subject.
  const log = new RecordedLog();
  for (let n = 0; n < 120; n += 1) {
    const planet = n % 3 === 0;
    log.append(`story-${n}`, [published(n, planet ? 'Daily Planet' : 'Example Wire', planet ? 'fr' : 'en', [planet ? 'acme' : 'globex'])]);
  }
  for (let n = 0; n < 10; n += 1) log.append(`story-${n}`, [deniedBy(n, n % 3 === 0 ? 'acme' : 'globex')], { at: '2025-03-02T00:00:00Z' });
  log.append(SEED_STORY_ID, SEED_STORY_EVENTS, { at: '2025-03-03T00:00:00Z' });
  const index = project(log.events);
  const ids = (filters: StoryListFilters, limit = 500): string[] => listStories(index, filters, null, limit).items.map((s) => s.storyId);

  describe('given 120 stories and the seed story', () => {
    it('then the list runs newest story first', () => {
      expect(ids({}).slice(0, 3)).toEqual([SEED_STORY_ID, 'story-119', 'story-118']);
      expect(ids({})).toHaveLength(121);
    });

    it('then the seed story is summarised with its outlets, languages, companies and claim statuses', () => {
      expect(getStorySummary(index, SEED_STORY_ID)).toMatchObject({
        storyId: SEED_STORY_ID,
        revision: 4,
        headline: 'Ford and Xiaomi held talks on a US electric-vehicle joint venture',
        outlets: ['Financial Times', 'Contoh Berita'],
        languages: ['en', 'id'],
        companies: ['ford', 'xiaomi'],
        claimStatuses: { denied: 1 },
      });
    });

    it('when filtered by claim status, then only stories with a claim in that status', () => {
      expect(ids({ status: 'denied' })).toEqual([
        SEED_STORY_ID,
        'story-9',
        'story-8',
        'story-7',
        'story-6',
        'story-5',
        'story-4',
        'story-3',
        'story-2',
        'story-1',
        'story-0',
      ]);
      expect(ids({ status: 'reported' })).toHaveLength(110);
      expect(ids({ status: 'contested' })).toEqual([]);
    });

    it('when filtered by company, then stories where it is a subject or responded', () => {
      expect(ids({ company: 'acme' })).toHaveLength(40);
      expect(ids({ company: 'xiaomi' })).toEqual([SEED_STORY_ID]);
      expect(ids({ company: 'initech' })).toEqual([]);
    });

    it('when filtered by outlet and by language (in any case), then stories with such a report', () => {
      expect(ids({ outlet: 'Financial Times' })).toEqual([SEED_STORY_ID]);
      expect(ids({ outlet: 'Daily Planet' })).toHaveLength(40);
      expect(ids({ language: 'ID' })).toEqual([SEED_STORY_ID]);
      expect(ids({ language: 'en' })).toHaveLength(81);
    });

    it('when filtered by updatedSince, then stories whose last event was recorded at or after it', () => {
      expect(ids({ updatedSince: '2025-03-02T00:00:00Z' })).toHaveLength(11);
      expect(ids({ updatedSince: '2025-03-03T00:00:04Z' })).toEqual([SEED_STORY_ID]);
    });

    it('when filters are combined, then a story must match every one', () => {
      expect(ids({ status: 'denied', company: 'acme', language: 'fr', updatedSince: '2025-03-01T00:00:00Z' })).toEqual([
        'story-9',
        'story-6',
        'story-3',
        'story-0',
      ]);
    });

    it('when paged, then the pages hold every story once, in order, and the last page says so', () => {
      const pages = allPages(index, {}, 50);
      expect(pages.map((p) => p.length)).toEqual([50, 50, 21]);
      expect(pages.flat()).toEqual(ids({}));
      const filtered = allPages(index, { outlet: 'Daily Planet' }, 7);
      expect(filtered.flat()).toEqual(ids({ outlet: 'Daily Planet' }));
      expect(filtered.at(-1)!.length).toBe(40 - 7 * 5);
    });

    it('when a small filter set is paged, then its pages match those of a scan', () => {
      // 11 denied stories among 121: the candidates are sorted instead of the list scanned.
      expect(allPages(index, { status: 'denied' }, 3).flat()).toEqual(ids({ status: 'denied' }));
    });
  });

  describe('given the same outlet, company and language written in different cases', () => {
    // A desk that types "financial times", "ACME" or "ID" means the same outlet, company and language.
    const mixed = new RecordedLog();
    mixed.append('a', [published(1, 'Financial Times', 'en', ['acme'])]);
    mixed.append('b', [published(2, 'FINANCIAL TIMES', 'EN', ['ACME'])]);
    mixed.append('c', [published(3, 'Süddeutsche Zeitung', 'id', ['Acme', 'globex'])]);
    for (let n = 0; n < 40; n += 1) mixed.append(`other-${n}`, [published(10 + n, 'Example Wire', 'fr', ['globex'])]);
    const views = project(mixed.events);
    // Limits 1 and 500 take both ways of finding a page: a scan of the list and a sort of the filter's set.
    const found = (filters: StoryListFilters): string[][] => [1, 500].map((limit) => allPages(views, filters, limit).flat());

    it('then each filter matches whatever case the story or the filter is written in', () => {
      for (const outlet of ['financial times', 'Financial Times', 'FINANCIAL TIMES', 'fInAnCiAl TiMeS']) {
        expect(found({ outlet })).toEqual([
          ['b', 'a'],
          ['b', 'a'],
        ]);
      }
      for (const company of ['acme', 'ACME', 'Acme'])
        expect(found({ company })).toEqual([
          ['c', 'b', 'a'],
          ['c', 'b', 'a'],
        ]);
      for (const language of ['en', 'EN', 'En'])
        expect(found({ language })).toEqual([
          ['b', 'a'],
          ['b', 'a'],
        ]);
      expect(found({ outlet: 'SÜDDEUTSCHE ZEITUNG', language: 'ID', company: 'ACME' })).toEqual([['c'], ['c']]);
      expect(found({ outlet: 'financial' })).toEqual([[], []]);
    });

    it('then a story written in two cases of one value is listed once under it, and its summary keeps what was posted', () => {
      const twice = new RecordedLog();
      twice.append('s', [published(1, 'Example Wire', 'en', ['acme']), published(2, 'EXAMPLE WIRE', 'EN', ['ACME'])]);
      const both = project(twice.events);
      expect(listStories(both, { outlet: 'example wire' }, null, 10).items.map((i) => i.storyId)).toEqual(['s']);
      expect(both.list.byOutlet.get('example wire')).toHaveLength(1);
      expect(both.list.byCompany.get('acme')).toHaveLength(1);
      expect(getStorySummary(both, 's')).toMatchObject({ outlets: ['Example Wire', 'EXAMPLE WIRE'], languages: ['en', 'EN'], companies: ['acme', 'ACME'] });
    });
  });

  describe('given a listing under way', () => {
    it('when stories are created and updated between pages, then the next pages skip nothing and repeat nothing', () => {
      const live = new RecordedLog();
      for (let n = 0; n < 30; n += 1) live.append(`story-${n}`, [published(n, 'Example Wire', 'en', ['globex'])]);
      const moving = project(live.events);
      const first = listStories(moving, {}, null, 10);
      // Between the pages: new stories, and an update to a story on a later page.
      const later = live.append('story-30', [published(30, 'Example Wire', 'en', ['globex'])]);
      later.push(...live.append('story-5', [deniedBy(5, 'globex')]));
      project(later, moving);
      const rest = allPagesFrom(moving, first.nextCursor!, 10);
      expect([...first.items.map((s) => s.storyId), ...rest]).toEqual(Array.from({ length: 30 }, (_, i) => `story-${29 - i}`));
    });
  });

  describe('given the same events twice', () => {
    it('then the index is as after once', () => {
      const twice = project(log.events, project(log.events));
      expect(listStories(twice, {}, null, 500)).toEqual(listStories(index, {}, null, 500));
      expect(ids({ status: 'denied' })).toEqual(listStories(twice, { status: 'denied' }, null, 500).items.map((s) => s.storyId));
    });
  });

  describe('given a bad request', () => {
    it.each([
      [{}, 'not-a-cursor', 10, 'INVALID_CURSOR'],
      [{}, null, 0, 'INVALID_FILTER'],
      [{}, null, 501, 'INVALID_FILTER'],
      [{ status: 'rumoured' }, null, 10, 'INVALID_FILTER'],
      [{ updatedSince: 'last week' }, null, 10, 'INVALID_FILTER'],
    ])('then %j with cursor %s and limit %s is refused as %s, naming the parameter', (filters, cursor, limit, code) => {
      const parameter = cursor !== null ? 'cursor' : limit !== 10 ? 'limit' : Object.keys(filters)[0];
      expect(() => listStories(index, filters as StoryListFilters, cursor, limit)).toThrow(
        expect.objectContaining<Partial<ProjectionQueryError>>({ code: code as ProjectionQueryError['code'], parameter }),
      );
    });
  });
});

function allPagesFrom(index: NewsroomViews, cursor: string, limit: number): string[] {
  const ids: string[] = [];
  let next: string | null = cursor;
  while (next !== null) {
    const page = listStories(index, {}, next, limit);
    ids.push(...page.items.map((s) => s.storyId));
    next = page.nextCursor;
  }
  return ids;
}
