// The board keeps itself current from the live feed: a change must land where the api's own
// list would put it, or leave the board when the story no longer matches its filters.
import type { StorySummary } from '../src/api/read-shapes';
import { applyChange, filtersFromSearch, matchesFilters, searchFromFilters } from '../src/board/board-filters';

function summary(storyId: string, firstRecordedAt: string, overrides: Partial<StorySummary> = {}): StorySummary {
  return {
    storyId,
    revision: 0,
    position: '1',
    headline: `${storyId} headline`,
    outlets: ['Financial Times'],
    languages: ['en'],
    companies: ['ford'],
    claimStatuses: { reported: 1 },
    firstRecordedAt,
    lastRecordedAt: firstRecordedAt,
    ...overrides,
  };
}

const older = summary('older', '2025-01-06T06:00:00Z');
const newer = summary('newer', '2025-01-07T06:00:00Z');

describe('the board filters in the url', () => {
  it('read back what they wrote, and drop what the api would not take', () => {
    const search = searchFromFilters({ status: 'denied', company: 'ford', updatedSince: '2025-01-06T00:00:00.000Z' });
    expect(filtersFromSearch(search)).toEqual({ status: 'denied', company: 'ford', updatedSince: '2025-01-06T00:00:00.000Z' });
    expect(filtersFromSearch('status=rumoured&outlet=%20')).toEqual({});
  });

  it('match as the api does: a claim in the status, exact company and outlet, language in any case, changed since', () => {
    const story = summary('s', '2025-01-06T06:00:00Z', { claimStatuses: { denied: 1 }, languages: ['en', 'id'] });
    expect(matchesFilters(story, { status: 'denied', company: 'ford', outlet: 'Financial Times', language: 'ID' })).toBe(true);
    expect(matchesFilters(story, { status: 'reported' })).toBe(false);
    expect(matchesFilters(story, { outlet: 'financial times' })).toBe(false);
    expect(matchesFilters(story, { updatedSince: '2025-01-06T06:00:01Z' })).toBe(false);
  });
});

describe('a live change on the board', () => {
  it('puts a new story first, newest first', () => {
    expect(applyChange([older], newer, {}, false).map((row) => row.storyId)).toEqual(['newer', 'older']);
  });

  it('replaces a story in place only with a later revision', () => {
    const changed = { ...older, revision: 3, claimStatuses: { denied: 1 } };
    expect(applyChange([newer, older], changed, {}, false)[1]).toBe(changed);
    expect(applyChange([newer, changed], older, {}, false)[1]).toBe(changed);
  });

  it('takes a story off a filtered board once it no longer matches', () => {
    const denied = { ...older, revision: 1, claimStatuses: { denied: 1 } };
    const confirmed = { ...older, revision: 2, claimStatuses: { confirmed: 1 } };
    expect(applyChange([denied], confirmed, { status: 'denied' }, false)).toEqual([]);
  });

  it('leaves out a story older than every row loaded while older pages remain', () => {
    expect(applyChange([newer], older, {}, true)).toEqual([newer]);
    expect(applyChange([newer], older, {}, false)).toEqual([newer, older]);
  });
});
