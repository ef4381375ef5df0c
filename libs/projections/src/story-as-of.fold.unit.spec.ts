import { SEED_STORY_EVENTS, SEED_STORY_ID } from '@newsroom/domain';
import type { ProjectionQueryError } from './projection.errors';
import { foldStoryAsOf } from './story-as-of.fold';
import { createNewsroomViews, evolveNewsroomViews } from './newsroom.views';
import { getStoryState } from './story-state.projection';
import { RecordedLog } from './testing/recorded-log.builder';

describe('story as of a time or a revision', () => {
  // The report, its sources and the follow-up are recorded in the morning; the denials an hour later.
  const log = new RecordedLog();
  log.append(SEED_STORY_ID, SEED_STORY_EVENTS.slice(0, 3), { at: '2025-01-08T09:00:00Z', recordedBy: 'wire-desk' });
  log.append(SEED_STORY_ID, SEED_STORY_EVENTS.slice(3), { at: '2025-01-08T10:00:00Z', recordedBy: 'standards-desk' });

  describe('given the seed story recorded in two sittings', () => {
    it('when asked as of a time between them, then the claim is only reported and no one has denied it', () => {
      const story = foldStoryAsOf(log.events, { recordedAt: '2025-01-08T09:30:00Z' })!;
      expect(story.revision).toBe(2);
      expect(story.claims[0].status).toBe('reported');
      expect(story.claims[0].denials).toEqual([]);
      expect(story.claims[0].sources.anonymous).toBe(4);
      expect(story.languages).toEqual(['en', 'id']);
      expect(story.position).toBe(log.events[2].position.toString());
    });

    it('when asked at revision 3, then only Ford has denied it', () => {
      const story = foldStoryAsOf(log.events, { revision: 3 })!;
      expect(story.claims[0].status).toBe('disputed');
      expect(story.claims[0].denials.map((d) => d.companyId)).toEqual(['ford']);
      expect(story.claims[0].stances).toEqual([
        { companyId: 'ford', stance: 'denied', at: '2025-01-06T15:00:00Z' },
        { companyId: 'xiaomi', stance: 'none', at: null },
      ]);
    });

    it('when asked as of the time the last event was recorded, then it is the current state', () => {
      const live = createNewsroomViews();
      for (const event of log.events) evolveNewsroomViews(live, event);
      expect(foldStoryAsOf(log.events, { recordedAt: log.events[4].metadata.recordedAt })).toEqual(getStoryState(live, SEED_STORY_ID));
      expect(foldStoryAsOf(log.events)).toEqual(getStoryState(live, SEED_STORY_ID));
    });

    it('when asked as of a time before its first event, then the story did not exist', () => {
      expect(foldStoryAsOf(log.events, { recordedAt: '2025-01-08T08:59:59Z' })).toBeUndefined();
    });

    it('when a later event carries an earlier recording time (a skewed clock), then the fold still stops at the first event past the time', () => {
      const skewed = [
        ...log.events.slice(0, 2),
        { ...log.events[2], metadata: { ...log.events[2].metadata, recordedAt: '2025-01-08T11:00:00Z' } },
        ...log.events.slice(3),
      ];
      expect(foldStoryAsOf(skewed, { recordedAt: '2025-01-08T10:30:00Z' })!.revision).toBe(1);
    });

    it('when the time is not a time, then it says so with a stable code', () => {
      expect(() => foldStoryAsOf(log.events, { recordedAt: 'yesterday' })).toThrow(
        expect.objectContaining<Partial<ProjectionQueryError>>({ code: 'INVALID_AS_OF' }),
      );
    });
  });
});
