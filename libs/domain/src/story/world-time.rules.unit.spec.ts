import { SEED_STORY_EVENTS } from '../seed/seed-story.data';
import { DEFAULT_MAX_CLOCK_SKEW_MS, isBeyondClockSkew, utcWorldTime, worldTimeOf } from './world-time.rules';

const HOUR = 60 * 60 * 1000;

describe('world times', () => {
  it('are read from the field each event type holds them in; a citation has none', () => {
    expect(SEED_STORY_EVENTS.map((event) => worldTimeOf(event)?.field)).toEqual(
      SEED_STORY_EVENTS.map((event) => ({ ReportPublished: 'publishedAt', SourceCited: undefined, CompanyDenied: 'deniedAt' })[event.type as string]),
    );
    expect(worldTimeOf(SEED_STORY_EVENTS[0]!)).toEqual({ field: 'publishedAt', time: '2025-01-06T06:00:00Z' });
  });

  describe('ahead of the clock', () => {
    const now = new Date('2026-03-01T12:00:00Z');

    it('are accepted in the past and up to the tolerated skew ahead', () => {
      expect(isBeyondClockSkew('2025-01-06T06:00:00Z', now, DEFAULT_MAX_CLOCK_SKEW_MS)).toBe(false);
      expect(isBeyondClockSkew('2026-03-02T12:00:00Z', now, DEFAULT_MAX_CLOCK_SKEW_MS)).toBe(false);
      // Evening in Jakarta is still the morning in UTC.
      expect(isBeyondClockSkew('2026-03-01T18:30:00+07:00', now, 0)).toBe(false);
    });

    it('are refused beyond it, whatever the zone they are written in', () => {
      expect(isBeyondClockSkew('2026-03-02T12:00:01Z', now, DEFAULT_MAX_CLOCK_SKEW_MS)).toBe(true);
      expect(isBeyondClockSkew('2099-01-01T00:00:00Z', now, DEFAULT_MAX_CLOCK_SKEW_MS)).toBe(true);
      expect(isBeyondClockSkew('2026-03-01T14:00:00+01:00', now, HOUR / 2)).toBe(true);
      expect(isBeyondClockSkew('2026-03-01T12:00:01Z', now, 0)).toBe(true);
    });
  });

  describe('normalised to UTC', () => {
    it.each([
      ['2025-01-06T06:00:00Z', '2025-01-06T06:00:00Z'],
      ['2025-01-06T13:00:00+07:00', '2025-01-06T06:00:00Z'],
      ['2025-01-05T22:00:00-08:00', '2025-01-06T06:00:00Z'],
      ['2025-01-06T06:00:00.000Z', '2025-01-06T06:00:00Z'],
      ['2025-01-08T10:00:00.250+08:00', '2025-01-08T02:00:00.250Z'],
      ['2025-01-06T06:00:00.123456Z', '2025-01-06T06:00:00.123Z'],
      ['2025-01-06t06:00:00z', '2025-01-06T06:00:00Z'],
      ['2025-01-01T00:30:00+01:00', '2024-12-31T23:30:00Z'],
    ])('%p reads %p', (posted, utc) => {
      expect(utcWorldTime(posted)).toBe(utc);
    });

    it('leaves a time it cannot read as it is', () => {
      expect(utcWorldTime('not a time')).toBe('not a time');
    });
  });
});
