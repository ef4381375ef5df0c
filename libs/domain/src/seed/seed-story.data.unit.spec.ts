import { claimStatusOf } from '../story/claim.status';
import { decide } from '../story/story.decide';
import { evolve } from '../story/story.evolve';
import type { StoryState } from '../story/story.state';
import { isIdentifier } from '../identifier.rules';
import { SEED_IDS, SEED_STORY_EVENTS, SEED_STORY_ID } from './seed-story.data';

function replaySeed(): StoryState {
  return SEED_STORY_EVENTS.reduce<StoryState>((state, event) => decide(state, event).reduce(evolve, state), { status: 'empty' });
}

describe('the seed story (Ford and Xiaomi, FT report and Indonesian follow-up)', () => {
  const story = replaySeed();
  if (story.status !== 'open') throw new Error('the seed story did not open');

  it('ends with its one claim denied by both companies', () => {
    expect([...story.claims.keys()]).toEqual([SEED_IDS.claimId]);
    expect(claimStatusOf(story, SEED_IDS.claimId)).toBe('denied');
    expect(story.responses.map((r) => [r.companyId, r.stance])).toEqual([
      ['ford', 'denied'],
      ['xiaomi', 'denied'],
    ]);
  });

  it('has the Financial Times report in English and its Indonesian follow-up', () => {
    const reports = [...story.reports.values()];
    expect(reports.map((r) => [r.outlet, r.language, r.followsReportId])).toEqual([
      ['Financial Times', 'en', undefined],
      ['Contoh Berita', 'id', SEED_IDS.ftReportId],
    ]);
    expect(story.languages).toEqual(['en', 'id']);
    expect(story.claims.get(SEED_IDS.claimId)?.statements.map((s) => s.language)).toEqual(['en', 'id']);
  });

  it('rests the claim on four anonymous people', () => {
    const sources = [...story.sources.values()];
    expect(sources.map((s) => [s.kind, s.count, s.supports])).toEqual([['anonymous', 4, [SEED_IDS.claimId]]]);
  });

  it('uses valid identifiers throughout', () => {
    const ids = [SEED_STORY_ID, SEED_IDS.ftReportId, SEED_IDS.followUpReportId, SEED_IDS.claimId, SEED_IDS.sourceId, 'ford', 'xiaomi'];
    expect(ids.every(isIdentifier)).toBe(true);
  });
});
