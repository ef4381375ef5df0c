import { CLAIM, confirmed, denied, published, retracted } from '../testing/story.builders';
import { claimStatusOf, currentStances, deriveClaimStatus } from './claim.status';
import type { StoryEvent } from './story.events';
import { foldStory } from './story.evolve';

function statusAfter(...events: StoryEvent[]) {
  const story = foldStory(events);
  if (story.status !== 'open') throw new Error('the story did not open');
  return claimStatusOf(story, CLAIM);
}

const followUp = published({ reportId: 'wire-2', followsReportId: 'wire-1', publishedAt: '2025-02-01T09:00:00Z' });

describe('claim status (DESIGN.md)', () => {
  it('is reported while a live report carries it and no subject has responded', () => {
    expect(statusAfter(published())).toBe('reported');
  });

  it('is disputed when some subjects deny, not every one, and none confirms', () => {
    expect(statusAfter(published(), denied('acme'))).toBe('disputed');
  });

  it('is denied when every subject denies and none confirms', () => {
    expect(statusAfter(published(), denied('acme'), denied('globex'))).toBe('denied');
  });

  it('is confirmed when a subject confirms and none denies', () => {
    expect(statusAfter(published(), confirmed('globex'))).toBe('confirmed');
  });

  it('is contested when one subject confirms and another denies', () => {
    expect(statusAfter(published(), denied('acme'), confirmed('globex'))).toBe('contested');
  });

  it('is retracted when every report carrying it was retracted', () => {
    expect(statusAfter(published(), followUp, retracted('wire-1'), retracted('wire-2'))).toBe('retracted');
  });

  it('is not retracted while one carrying report still stands', () => {
    expect(statusAfter(published(), followUp, retracted('wire-1'))).toBe('reported');
  });

  it('stays retracted when a company denies after the retraction', () => {
    expect(statusAfter(published(), retracted(), denied('acme'), denied('globex'))).toBe('retracted');
  });

  it('comes back when a new report carries the claim after every earlier one was retracted', () => {
    const later = published({ reportId: 'daily-1', outlet: 'Example Daily', publishedAt: '2025-02-04T08:00:00Z' });
    expect(statusAfter(published(), retracted(), later)).toBe('reported');
  });

  it("follows a company's latest stance: a denial, then a confirmation, confirms", () => {
    expect(statusAfter(published(), denied('acme'), confirmed('acme', { confirmedAt: '2025-06-01T09:00:00Z' }))).toBe('confirmed');
  });

  it('takes the latest stance by world time, not by recording order', () => {
    const earlierConfirmation = confirmed('acme', { confirmedAt: '2025-01-15T09:00:00Z' });
    expect(statusAfter(published(), denied('acme'), earlierConfirmation, denied('globex'))).toBe('denied');
  });

  it('is undefined for a claim the story does not have', () => {
    const story = foldStory([published()]);
    expect(story.status === 'open' && claimStatusOf(story, 'ghost-claim')).toBeUndefined();
  });

  it('ignores responses by companies that are not subjects (the projections may hand them over)', () => {
    expect(
      deriveClaimStatus({
        about: ['acme'],
        live: true,
        responses: [{ companyId: 'initech', stance: 'confirmed', at: '2025-02-01T00:00:00Z' }],
      }),
    ).toBe('reported');
  });
});

describe("each subject's current stance", () => {
  it('is its latest response by world time, whatever the recording order; none before it responds; once per subject', () => {
    expect(
      currentStances({
        about: ['acme', 'globex', 'acme'],
        responses: [
          { companyId: 'acme', stance: 'confirmed', at: '2025-06-01T00:00:00Z' },
          { companyId: 'acme', stance: 'denied', at: '2025-03-01T00:00:00Z' },
          { companyId: 'initech', stance: 'denied', at: '2025-07-01T00:00:00Z' },
        ],
      }),
    ).toEqual([
      { companyId: 'acme', stance: 'confirmed', at: '2025-06-01T00:00:00Z' },
      { companyId: 'globex', stance: 'none', at: null },
    ]);
  });
});
