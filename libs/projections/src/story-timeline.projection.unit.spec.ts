import { SEED_STORY_EVENTS, SEED_STORY_ID } from '@newsroom/domain';
import { createNewsroomViews, evolveNewsroomViews } from './newsroom.views';
import { getTimeline } from './story-timeline.projection';
import { RecordedLog } from './testing/recorded-log.builder';

describe('story timeline', () => {
  const log = new RecordedLog();
  log.append(SEED_STORY_ID, SEED_STORY_EVENTS.slice(0, 3), { recordedBy: 'wire-desk' });
  log.append(SEED_STORY_ID, SEED_STORY_EVENTS.slice(3), { recordedBy: 'standards-desk' });
  const view = createNewsroomViews();
  for (const event of [...log.events, ...log.events]) evolveNewsroomViews(view, event);

  describe('given the seed story, applied twice', () => {
    it('then it lists each event once, in the order recorded, with world time, recording time and recorder', () => {
      const timeline = getTimeline(view, SEED_STORY_ID)!;
      expect(timeline.events.map((e) => [e.revision, e.type, e.subject, e.happenedAt, e.recordedBy])).toEqual([
        [0, 'ReportPublished', 'ft-ford-xiaomi-ev-jv', '2025-01-06T06:00:00Z', 'wire-desk'],
        [1, 'SourceCited', 'ft-four-people-familiar', null, 'wire-desk'],
        [2, 'ReportPublished', 'contoh-berita-ford-xiaomi-bantah', '2025-01-07T03:00:00Z', 'wire-desk'],
        [3, 'CompanyDenied', 'ford', '2025-01-06T15:00:00Z', 'standards-desk'],
        [4, 'CompanyDenied', 'xiaomi', '2025-01-06T16:00:00Z', 'standards-desk'],
      ]);
      expect(timeline.events.map((e) => e.recordedAt)).toEqual(log.events.map((e) => e.metadata.recordedAt));
      expect(timeline.events.map((e) => e.position)).toEqual(log.events.map((e) => e.position.toString()));
    });

    it('when asked in world order, then the denials come before the follow-up that reported them', () => {
      const timeline = getTimeline(view, SEED_STORY_ID, 'happened')!;
      expect(timeline.events.map((e) => e.revision)).toEqual([0, 1, 3, 4, 2]);
    });

    it('then a story it never saw has no timeline', () => {
      expect(getTimeline(view, 'no-such-story')).toBeUndefined();
    });
  });
});
