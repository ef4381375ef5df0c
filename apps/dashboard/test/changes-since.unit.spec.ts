// The auditor's "as of" view marks what the desk learned after that moment.
import type { ClaimReadModel, ReportReadModel, StoryReadModel } from '../src/api/read-shapes';
import { changesSince } from '../src/audit/changes-since';

const report: ReportReadModel = {
  reportId: 'ft-1',
  outlet: 'Financial Times',
  language: 'en',
  status: 'published',
  headline: 'Ford and Xiaomi held EV talks',
  publishedAt: '2025-01-06T06:00:00Z',
  corrections: [],
};

const claim: ClaimReadModel = {
  claimId: 'jv-talks',
  statement: 'Ford and Xiaomi discussed a US EV joint venture.',
  about: ['ford', 'xiaomi'],
  status: 'reported',
  sources: { anonymous: 4, named: 0, document: 0, statement: 0 },
  denials: [],
  confirmations: [],
  language: 'en',
  statements: [{ reportId: 'ft-1', language: 'en', statement: 'Ford and Xiaomi discussed a US EV joint venture.' }],
  reportIds: ['ft-1'],
};

function story(revision: number, claims: ClaimReadModel[], reports: ReportReadModel[]): StoryReadModel {
  return {
    storyId: 'ford-xiaomi',
    revision,
    position: String(revision + 10),
    languages: ['en'],
    reports,
    claims,
    headline: report.headline,
    companies: [],
    firstRecordedAt: '2025-01-06T07:00:00Z',
    lastRecordedAt: '2025-01-07T07:00:00Z',
    firstHappenedAt: '2025-01-06T06:00:00Z',
    lastHappenedAt: '2025-01-06T16:00:00Z',
  };
}

describe('what changed since the story as then known', () => {
  it('marks a claim whose status moved, a report recorded since, and counts the events', () => {
    const then = story(1, [claim], [report]);
    const denied: ClaimReadModel = {
      ...claim,
      status: 'denied',
      denials: [
        { companyId: 'ford', statement: 'The report is incorrect.', at: '2025-01-06T15:00:00Z' },
        { companyId: 'xiaomi', statement: 'Tidak benar.', at: '2025-01-06T16:00:00Z' },
      ],
    };
    const followUp: ReportReadModel = { ...report, reportId: 'cb-1', outlet: 'Contoh Berita', language: 'id' };
    const changes = changesSince(then, story(4, [denied], [report, followUp]));
    expect([...changes.keys]).toEqual(['claim:jv-talks']);
    expect(changes.lines).toEqual([
      'claim jv-talks: reported then, denied now (2 more denials, 0 more confirmations)',
      'report cb-1 (Contoh Berita, id) recorded since',
      '3 events recorded since (revision 1 then, 4 now)',
    ]);
  });

  it('marks nothing when nothing was recorded since', () => {
    const now = story(4, [claim], [report]);
    expect(changesSince(now, now)).toEqual({ keys: new Set(), lines: [] });
  });
});
