import { SEED_STORY_EVENTS, SEED_STORY_ID, type StoryEvent } from '@newsroom/domain';
import { getCompany } from './company.projection';
import { createNewsroomViews, evolveNewsroomViews, type NewsroomViews } from './newsroom.views';
import { RecordedLog } from './testing/recorded-log.builder';
import type { ViewEvent } from './view-event';

function project(events: readonly ViewEvent[], views: NewsroomViews = createNewsroomViews()): NewsroomViews {
  for (const event of events) evolveNewsroomViews(views, event);
  return views;
}

describe('company view', () => {
  // The seed story, then a second story where Ford confirms a battery deal.
  const log = new RecordedLog();
  log.append(SEED_STORY_ID, SEED_STORY_EVENTS);
  const batteryStory: StoryEvent[] = [
    {
      type: 'ReportPublished',
      data: {
        reportId: 'wire-battery',
        outlet: 'Example Wire',
        headline: 'Ford to license battery technology',
        language: 'en',
        publishedAt: '2025-02-10T08:00:00Z',
        claims: [{ claimId: 'ford-battery-licence', statement: 'Ford will license battery technology.', about: ['ford'] }],
      },
    },
    {
      type: 'CompanyConfirmed',
      data: {
        companyId: 'ford',
        companyName: 'Ford',
        statement: 'We have signed the licence.',
        language: 'en',
        confirmedAt: '2025-02-10T12:00:00Z',
        confirms: ['ford-battery-licence'],
        reportedIn: 'wire-battery',
      },
    },
  ];
  log.append('ford-battery', batteryStory);
  const view = project(log.events);

  describe('given the seed story and a story where Ford confirms', () => {
    it("then Ford's denial and confirmation are listed with their stories, and its latest name", () => {
      const ford = getCompany(view, 'ford')!;
      expect(ford.companyName).toBe('Ford');
      expect(ford.denials).toEqual([
        {
          storyId: SEED_STORY_ID,
          claimIds: ['ford-xiaomi-us-ev-jv-talks'],
          statement: 'The report is incorrect.',
          language: 'en',
          at: '2025-01-06T15:00:00Z',
          recordedAt: log.events[3].metadata.recordedAt,
          revision: 3,
          position: log.events[3].position.toString(),
        },
      ]);
      expect(ford.confirmations.map((c) => [c.storyId, c.claimIds, c.reportedIn])).toEqual([['ford-battery', ['ford-battery-licence'], 'wire-battery']]);
    });

    it('then Xiaomi has its one denial, read in the Indonesian follow-up', () => {
      const xiaomi = getCompany(view, 'xiaomi')!;
      expect(xiaomi.denials.map((d) => [d.storyId, d.language, d.reportedIn])).toEqual([[SEED_STORY_ID, 'id', 'contoh-berita-ford-xiaomi-bantah']]);
      expect(xiaomi.confirmations).toEqual([]);
    });

    it('then a company that never responded is unknown', () => {
      expect(getCompany(view, 'byd')).toBeUndefined();
    });

    it('when the same events are applied again, then nothing changes', () => {
      const before = getCompany(view, 'ford');
      project(log.events, view);
      expect(getCompany(view, 'ford')).toEqual(before);
    });
  });
});
