import { createHash } from 'node:crypto';
import { SEED_STORY_EVENTS, SEED_STORY_ID, type StoryEvent } from '@newsroom/domain';
import { createNewsroomViews, evolveNewsroomViews, hasApplied, viewsPosition, type NewsroomViews } from './newsroom.views';
import { RecordedLog } from './testing/recorded-log.builder';
import type { ViewEvent } from './view-event';
import { digestViews } from './views.digest';

function replay(events: readonly ViewEvent[], views: NewsroomViews = createNewsroomViews()): NewsroomViews {
  for (const event of events) evolveNewsroomViews(views, event);
  return views;
}

function seedAndMore(xiaomiStatement?: string): RecordedLog {
  const log = new RecordedLog();
  const events: StoryEvent[] = SEED_STORY_EVENTS.map((event) =>
    xiaomiStatement !== undefined && event.type === 'CompanyDenied' && event.data.companyId === 'xiaomi'
      ? { ...event, data: { ...event.data, statement: xiaomiStatement } }
      : event,
  );
  log.append(SEED_STORY_ID, events);
  for (let n = 0; n < 20; n += 1) {
    log.append(`story-${n}`, [
      {
        type: 'ReportPublished',
        data: {
          reportId: `r-${n}`,
          outlet: 'Example Wire',
          headline: `Story ${n}`,
          language: 'en',
          publishedAt: '2025-03-01T08:00:00Z',
          claims: [{ claimId: `c-${n}`, statement: `Claim ${n}.`, about: ['acme'] }],
        },
      },
    ]);
  }
  return log;
}

describe('digest of the views', () => {
  describe('given two fresh replays of the same log', () => {
    it('then their digests are equal, at the position of the last event', () => {
      const log = seedAndMore();
      const first = digestViews(replay(log.events));
      const second = digestViews(replay(log.events));
      expect(second).toEqual(first);
      expect(first.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(first).toMatchObject({ position: log.events.at(-1)!.position.toString(), stories: 21, companies: 2, events: 25 });
    });

    it('then live views that saw some events twice, as after a resubscription, digest the same', () => {
      const log = seedAndMore();
      const live = replay(log.events.slice(0, 12));
      replay(log.events.slice(5), live);
      expect(digestViews(live)).toEqual(digestViews(replay(log.events)));
    });
  });

  describe('given live views digested part way, then fed the rest of the log', () => {
    it('then the next digest is that of a fresh replay (stories that changed are hashed anew)', () => {
      const log = seedAndMore();
      const live = replay(log.events.slice(0, 3));
      const early = digestViews(live);
      replay(log.events.slice(3), live);
      expect(digestViews(live)).toEqual(digestViews(replay(log.events)));
      expect(digestViews(live).digest).not.toBe(early.digest);
    });
  });

  describe("given node's SHA-256 instead of the lib's own", () => {
    it('then the digest is the same', () => {
      const views = replay(seedAndMore().events);
      expect(digestViews(views, () => createHash('sha256'))).toEqual(digestViews(views));
    });
  });

  describe('given a log where one event differs', () => {
    it('then the digest differs', () => {
      const original = digestViews(replay(seedAndMore().events));
      const altered = digestViews(replay(seedAndMore('Xiaomi menolak berkomentar.').events));
      expect(altered.position).toBe(original.position);
      expect(altered.digest).not.toBe(original.digest);
    });
  });

  describe('given the views part way through a log', () => {
    it('then the digest is that of a replay stopped at the same position', () => {
      const log = seedAndMore();
      const partial = replay(log.events.slice(0, 3), replay(log.events.slice(0, 2)));
      expect(viewsPosition(partial)).toBe(log.events[2].position);
      expect(digestViews(partial)).toEqual(digestViews(replay(log.events.slice(0, 3))));
      expect(digestViews(partial).digest).not.toBe(digestViews(replay(log.events)).digest);
      expect(hasApplied(partial, log.events[2])).toBe(true);
      expect(hasApplied(partial, log.events[3])).toBe(false);
    });
  });

  describe('given no event at all', () => {
    it('then the position is -1 and the digest is still defined', () => {
      expect(digestViews(createNewsroomViews())).toMatchObject({ position: '-1', stories: 0, events: 0 });
    });
  });
});
