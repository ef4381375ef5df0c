import { CLAIM, cited, confirmed, corrected, denied, published, retracted } from '../testing/story.builders';
import type { StoryEvent } from './story.events';
import { evolve, foldStory } from './story.evolve';
import { claimStatementIn, initialStoryState, type OpenStory } from './story.state';

function open(events: StoryEvent[]): OpenStory {
  const story = foldStory(events);
  if (story.status !== 'open') throw new Error('the story did not open');
  return story;
}

const translation = published({
  reportId: 'wire-1-de',
  language: 'de',
  publishedAt: '2025-02-01T10:00:00Z',
  followsReportId: 'wire-1',
  claims: [{ claimId: CLAIM, statement: 'Acme und Globex verhandeln über eine Fusion.', about: ['acme', 'globex'] }],
});

describe('evolve', () => {
  it('starts empty', () => {
    expect(initialStoryState).toEqual({ status: 'empty' });
  });

  it('opens the story with its first report, its claims and its language', () => {
    const story = open([published()]);
    expect([...story.reports.keys()]).toEqual(['wire-1']);
    expect(story.claims.get(CLAIM)).toMatchObject({ about: ['acme', 'globex'], reportIds: ['wire-1'], language: 'en' });
    expect(story.languages).toEqual(['en']);
  });

  it('keeps a claim carried by a translation once, with its statement per language', () => {
    const story = open([published(), translation]);
    const claim = story.claims.get(CLAIM)!;
    expect(claim.reportIds).toEqual(['wire-1', 'wire-1-de']);
    expect(claim.statement).toBe('Acme and Globex are in merger talks.');
    expect(claimStatementIn(claim, 'de')).toBe('Acme und Globex verhandeln über eine Fusion.');
    expect(claimStatementIn(claim, 'fr')).toBe('Acme and Globex are in merger talks.');
    expect(story.languages).toEqual(['en', 'de']);
    expect(story.reports.get('wire-1-de')?.followsReportId).toBe('wire-1');
  });

  it('records sources with their count of people (1 when absent) and links them to their claims', () => {
    const { count: _count, ...single } = cited({ sourceId: 'named-1', kind: 'named' }).data;
    const story = open([published(), cited(), { type: 'SourceCited', data: single }]);
    expect(story.sources.get('wire-1-insiders')).toMatchObject({ kind: 'anonymous', count: 2 });
    expect(story.sources.get('named-1')).toMatchObject({ kind: 'named', count: 1 });
    expect(story.claims.get(CLAIM)?.sourceIds).toEqual(['wire-1-insiders', 'named-1']);
  });

  it('records denials and confirmations in one shape, with when the company spoke', () => {
    const story = open([published(), denied('acme'), confirmed('globex', { reportedIn: 'wire-1' })]);
    expect(story.responses).toEqual([
      expect.objectContaining({ stance: 'denied', companyId: 'acme', at: '2025-02-01T12:00:00Z', claimIds: [CLAIM] }),
      expect.objectContaining({ stance: 'confirmed', companyId: 'globex', at: '2025-02-01T13:00:00Z', reportedIn: 'wire-1' }),
    ]);
  });

  it('records corrections in order, then the retraction', () => {
    const story = open([published(), corrected(), corrected('wire-1', '2025-02-02T09:00:00Z'), retracted()]);
    const report = story.reports.get('wire-1')!;
    expect(report.corrections.map((c) => c.correctedAt)).toEqual(['2025-02-02T08:00:00Z', '2025-02-02T09:00:00Z']);
    expect(report.retracted).toEqual({ reason: 'The sourcing did not meet our standards.', retractedAt: '2025-02-03T08:00:00Z' });
  });

  it('never changes the state it is given', () => {
    const before = open([published()]);
    const snapshot = open([published()]);
    evolve(before, translation);
    evolve(before, cited());
    evolve(before, retracted());
    expect(before).toEqual(snapshot);
  });

  it('leaves the state as it was for an event type it does not know (a newer writer)', () => {
    const story = open([published()]);
    expect(evolve(story, { type: 'ReportLiked', data: {} } as unknown as StoryEvent)).toBe(story);
  });
});
