import { SEED_IDS, SEED_STORY_EVENTS, SEED_STORY_ID, type StoryEvent } from '@newsroom/domain';
import { createNewsroomViews, evolveNewsroomViews, type NewsroomViews } from './newsroom.views';
import { getCompany } from './company.projection';
import { type ClaimReadModel, getStoryState } from './story-state.projection';
import { getTimeline } from './story-timeline.projection';
import { RecordedLog } from './testing/recorded-log.builder';
import type { ViewEvent } from './view-event';

function project(events: readonly ViewEvent[], views: NewsroomViews = createNewsroomViews()): NewsroomViews {
  for (const event of events) evolveNewsroomViews(views, event);
  return views;
}

// A fictional story apart from the seed, so each claim-status rule states only what it is about.
const STORY = 'acme-globex';
const CLAIM = 'acme-globex-merger';
const report = (reportId = 'wire-1', about = ['acme', 'globex']): StoryEvent => ({
  type: 'ReportPublished',
  data: {
    reportId,
    outlet: 'Example Wire',
    headline: 'Acme and Globex discuss a merger',
    language: 'en',
    publishedAt: '2025-02-01T08:00:00Z',
    claims: [{ claimId: CLAIM, statement: 'Acme and Globex are in merger talks.', about }],
  },
});
const denial = (companyId: string, deniedAt = '2025-02-01T12:00:00Z'): StoryEvent => ({
  type: 'CompanyDenied',
  data: { companyId, companyName: companyId.toUpperCase(), statement: 'No talks.', language: 'en', deniedAt, refutes: [CLAIM] },
});
const confirmation = (companyId: string, confirmedAt = '2025-02-01T13:00:00Z'): StoryEvent => ({
  type: 'CompanyConfirmed',
  data: {
    companyId,
    companyName: companyId.toUpperCase(),
    statement: 'We are in talks.',
    language: 'en',
    confirmedAt,
    confirms: [CLAIM],
  },
});
const retraction = (reportId = 'wire-1'): StoryEvent => ({
  type: 'ReportRetracted',
  data: { reportId, reason: 'The sources did not hold up.', retractedAt: '2025-02-03T10:00:00Z' },
});

function claimAfter(...events: StoryEvent[]): ClaimReadModel | undefined {
  const log = new RecordedLog();
  log.append(STORY, events);
  return getStoryState(project(log.events), STORY)?.claims[0];
}

function claimStatusAfter(...events: StoryEvent[]): string | undefined {
  return claimAfter(...events)?.status;
}

describe('story state view', () => {
  describe('given the seed story', () => {
    const log = new RecordedLog();
    log.append(SEED_STORY_ID, SEED_STORY_EVENTS);
    const story = getStoryState(project(log.events), SEED_STORY_ID)!;

    it('then its one claim is denied, by Ford and by Xiaomi', () => {
      expect(story.claims).toHaveLength(1);
      const [claim] = story.claims;
      expect(claim.claimId).toBe(SEED_IDS.claimId);
      expect(claim.about).toEqual(['ford', 'xiaomi']);
      expect(claim.status).toBe('denied');
      expect(claim.denials.map((d) => d.companyId)).toEqual(['ford', 'xiaomi']);
      expect(claim.denials[0]).toEqual({ companyId: 'ford', statement: 'The report is incorrect.', at: '2025-01-06T15:00:00Z' });
      expect(claim.confirmations).toEqual([]);
    });

    it('then four anonymous people support the claim', () => {
      expect(story.claims[0].sources).toEqual({ anonymous: 4, named: 0, document: 0, statement: 0 });
    });

    it("then it holds the Financial Times' report and its Indonesian follow-up, both published", () => {
      expect(story.reports.map(({ reportId, outlet, language, status }) => ({ reportId, outlet, language, status }))).toEqual([
        { reportId: SEED_IDS.ftReportId, outlet: 'Financial Times', language: 'en', status: 'published' },
        { reportId: SEED_IDS.followUpReportId, outlet: 'Contoh Berita', language: 'id', status: 'published' },
      ]);
      expect(story.reports[1].followsReportId).toBe(SEED_IDS.ftReportId);
    });

    it('then its languages are en and id, and its revision and position are those of the last event', () => {
      expect(story.languages).toEqual(['en', 'id']);
      expect(story.revision).toBe(4);
      expect(story.position).toBe(log.events[4].position.toString());
    });

    it('then each company has its response, and the times say what happened when and what was recorded when', () => {
      expect(story.companies.map((c) => [c.companyId, c.responses.map((r) => r.stance)])).toEqual([
        ['ford', ['denied']],
        ['xiaomi', ['denied']],
      ]);
      expect(story.firstHappenedAt).toBe('2025-01-06T06:00:00Z');
      expect(story.lastHappenedAt).toBe('2025-01-07T03:00:00Z');
      expect(story.firstRecordedAt).toBe(log.events[0].metadata.recordedAt);
      expect(story.lastRecordedAt).toBe(log.events[4].metadata.recordedAt);
    });
  });

  describe('claim status', () => {
    it('is reported while no subject has responded', () => {
      expect(claimStatusAfter(report())).toBe('reported');
    });
    it('is disputed when some subjects deny and not every one', () => {
      expect(claimStatusAfter(report(), denial('acme'))).toBe('disputed');
    });
    it('is denied when every subject denies and none confirms', () => {
      expect(claimStatusAfter(report(), denial('acme'), denial('globex'))).toBe('denied');
    });
    it('is confirmed when a subject confirms and none denies', () => {
      expect(claimStatusAfter(report(), confirmation('globex'))).toBe('confirmed');
    });
    it('is contested when one subject confirms and another denies', () => {
      expect(claimStatusAfter(report(), denial('acme'), confirmation('globex'))).toBe('contested');
    });
    it("counts a company's latest stance by world time: a denial overtaken by a confirmation confirms", () => {
      expect(claimStatusAfter(report(), denial('acme', '2025-03-01T00:00:00Z'), confirmation('acme', '2025-06-01T00:00:00Z'))).toBe('confirmed');
    });
    it('is retracted when every report carrying it was retracted, whoever denied it', () => {
      expect(claimStatusAfter(report(), denial('acme'), denial('globex'), retraction())).toBe('retracted');
    });
    it('stays live while another report still carries it', () => {
      expect(claimStatusAfter(report('wire-1'), report('wire-2'), retraction('wire-1'))).toBe('reported');
    });
  });

  describe("each subject's current stance, beside the full list of responses", () => {
    it('given a denial and a later confirmation by the same company, then the claim is confirmed and that company stands confirmed', () => {
      const claim = claimAfter(report(), denial('acme', '2025-03-01T00:00:00Z'), confirmation('acme', '2025-06-01T00:00:00Z'))!;
      expect(claim.status).toBe('confirmed');
      expect(claim.denials).toEqual([{ companyId: 'acme', statement: 'No talks.', at: '2025-03-01T00:00:00Z' }]);
      expect(claim.confirmations).toEqual([{ companyId: 'acme', statement: 'We are in talks.', at: '2025-06-01T00:00:00Z' }]);
      expect(claim.stances).toEqual([
        { companyId: 'acme', stance: 'confirmed', at: '2025-06-01T00:00:00Z' },
        { companyId: 'globex', stance: 'none', at: null },
      ]);
    });

    it('given a confirmation recorded first but said after the denial, then the company still stands confirmed', () => {
      const claim = claimAfter(report(), confirmation('acme', '2025-06-01T00:00:00Z'), denial('acme', '2025-03-01T00:00:00Z'))!;
      expect(claim.status).toBe('confirmed');
      expect(claim.stances[0]).toEqual({ companyId: 'acme', stance: 'confirmed', at: '2025-06-01T00:00:00Z' });
    });

    it('given a confirmation later withdrawn by a denial, then the company stands denied and the claim is disputed', () => {
      const claim = claimAfter(report(), confirmation('acme', '2025-03-01T00:00:00Z'), denial('acme', '2025-06-01T00:00:00Z'))!;
      expect(claim.status).toBe('disputed');
      expect(claim.stances.map((s) => s.stance)).toEqual(['denied', 'none']);
    });

    it('given no response, then every subject is listed once with no stance, even one named twice in about', () => {
      expect(claimAfter(report('wire-1', ['acme', 'globex', 'acme']))!.stances).toEqual([
        { companyId: 'acme', stance: 'none', at: null },
        { companyId: 'globex', stance: 'none', at: null },
      ]);
    });

    it('given a response by a company that is no subject, then it is listed among the responses but has no stance', () => {
      const claim = claimAfter(report(), confirmation('initech'))!;
      expect(claim.confirmations.map((c) => c.companyId)).toEqual(['initech']);
      expect(claim.stances.map((s) => s.companyId)).toEqual(['acme', 'globex']);
      expect(claim.status).toBe('reported');
    });
  });

  describe('given a report that was corrected, and another retracted', () => {
    const log = new RecordedLog();
    log.append(STORY, [
      report('wire-1'),
      report('wire-2'),
      { type: 'ReportCorrected', data: { reportId: 'wire-1', correction: 'Globex, not Initech.', correctedAt: '2025-02-02T09:00:00Z' } },
      retraction('wire-2'),
    ]);
    const story = getStoryState(project(log.events), STORY)!;

    it('then the first is corrected, with its correction, and the second retracted, with its reason', () => {
      expect(story.reports.map((r) => r.status)).toEqual(['corrected', 'retracted']);
      expect(story.reports[0].corrections).toEqual([{ correction: 'Globex, not Initech.', correctedAt: '2025-02-02T09:00:00Z' }]);
      expect(story.reports[1].retraction?.reason).toBe('The sources did not hold up.');
    });
  });

  describe('given the seed story applied', () => {
    it('when the same events are applied again, then nothing changes', () => {
      const log = new RecordedLog();
      log.append(SEED_STORY_ID, SEED_STORY_EVENTS);
      const view = project(log.events);
      const before = getStoryState(view, SEED_STORY_ID);
      project(log.events, view);
      project(log.events.slice(2), view);
      expect(getStoryState(view, SEED_STORY_ID)).toEqual(before);
      expect(view.applied.position).toBe(log.events[4].position);
    });
  });

  describe('given a story it never saw', () => {
    it('then it has no state', () => {
      expect(getStoryState(createNewsroomViews(), 'no-such-story')).toBeUndefined();
    });
  });

  describe('given world times posted in the zones of the desks that posted them', () => {
    const log = new RecordedLog();
    log.append(STORY, [
      { ...report(), data: { ...report().data, publishedAt: '2025-02-01T15:00:00+07:00' } } as StoryEvent,
      denial('acme', '2025-02-01T04:30:00.250-08:00'),
      confirmation('globex', '2025-02-01T13:00:00.000Z'),
      { type: 'ReportCorrected', data: { reportId: 'wire-1', correction: 'The venue was misnamed.', correctedAt: '2025-02-02T01:00:00+01:00' } },
      retraction(),
    ]);
    const views = project(log.events);

    it('then the story, its timeline and the company view show them in UTC', () => {
      const story = getStoryState(views, STORY)!;
      expect(story.reports[0]).toEqual(expect.objectContaining({ publishedAt: '2025-02-01T08:00:00Z' }));
      expect(story.claims[0]!.denials.map((response) => response.at)).toEqual(['2025-02-01T12:30:00.250Z']);
      expect(story.claims[0]!.confirmations.map((response) => response.at)).toEqual(['2025-02-01T13:00:00Z']);
      expect(getTimeline(views, STORY)!.events.map((entry) => entry.happenedAt)).toEqual([
        '2025-02-01T08:00:00Z',
        '2025-02-01T12:30:00.250Z',
        '2025-02-01T13:00:00Z',
        '2025-02-02T00:00:00Z',
        '2025-02-03T10:00:00Z',
      ]);
      expect(getCompany(views, 'acme')!.denials.map((response) => response.at)).toEqual(['2025-02-01T12:30:00.250Z']);
    });

    it('while the events the views were given keep what was posted', () => {
      expect((log.events[0]!.data as { publishedAt: string }).publishedAt).toBe('2025-02-01T15:00:00+07:00');
    });
  });
});
