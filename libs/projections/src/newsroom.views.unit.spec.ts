import { SEED_STORY_EVENTS, SEED_STORY_ID } from '@newsroom/domain';
import { createNewsroomViews, evolveNewsroomViews, hasApplied, viewsPosition } from './newsroom.views';
import { getStoryState } from './story-state.projection';
import { getTimeline } from './story-timeline.projection';
import type { ViewEvent } from './view-event';

/** The seed story as one append per event, at the given commit positions. */
function seedAt(positions: readonly bigint[]): ViewEvent[] {
  return SEED_STORY_EVENTS.map(
    (event, i) =>
      ({
        ...event,
        storyId: SEED_STORY_ID,
        revision: BigInt(i),
        position: positions[i],
        metadata: { recordedAt: `2025-01-08T09:00:0${i}.000Z`, recordedBy: 'desk-tool' },
      }) as ViewEvent,
  );
}

describe('the views together', () => {
  describe('given events of one append that share a commit position (as a real server may give them)', () => {
    const events = seedAt([500n, 500n, 500n, 900n, 900n]);

    it('then every one is applied, and applying them again changes nothing', () => {
      const views = createNewsroomViews();
      for (const event of events) evolveNewsroomViews(views, event);
      const once = getStoryState(views, SEED_STORY_ID);
      expect(once?.revision).toBe(4);
      expect(once?.claims[0].status).toBe('denied');
      expect(events.every((e) => hasApplied(views, e))).toBe(true);
      for (const event of events) evolveNewsroomViews(views, event);
      expect(getStoryState(views, SEED_STORY_ID)).toEqual(once);
      expect(viewsPosition(views)).toBe(900n);
    });
  });

  describe('given commit positions beyond 2^53', () => {
    it('then the story and its timeline give them exactly', () => {
      const big = 2n ** 62n + 12345n;
      const views = createNewsroomViews();
      for (const event of seedAt([big, big + 1n, big + 2n, big + 3n, big + 4n])) evolveNewsroomViews(views, event);
      expect(getStoryState(views, SEED_STORY_ID)?.position).toBe((big + 4n).toString());
      expect(getTimeline(views, SEED_STORY_ID)?.events.map((e) => e.position)).toEqual([0n, 1n, 2n, 3n, 4n].map((d) => (big + d).toString()));
    });
  });

  describe('given no event', () => {
    it('then the position is -1 and every read finds nothing', () => {
      const views = createNewsroomViews();
      expect(viewsPosition(views)).toBe(-1n);
      expect(getStoryState(views, SEED_STORY_ID)).toBeUndefined();
      expect(getTimeline(views, SEED_STORY_ID)).toBeUndefined();
    });
  });
});
