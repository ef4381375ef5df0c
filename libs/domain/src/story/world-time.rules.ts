import type { IsoDateTime, StoryEvent } from './story.events';

/**
 * World times: when a fact happened (`publishedAt`, `deniedAt`, …), as posted with the
 * zone the tool chose. The log keeps them as posted; views show them in UTC so that
 * times from desks in different zones read and sort alike.
 */

/** The event's world time and the field that holds it; a citation has none of its own. */
export function worldTimeOf(event: StoryEvent): { readonly field: string; readonly time: IsoDateTime } | undefined {
  switch (event.type) {
    case 'ReportPublished':
      return { field: 'publishedAt', time: event.data.publishedAt };
    case 'SourceCited':
      return undefined;
    case 'CompanyDenied':
      return { field: 'deniedAt', time: event.data.deniedAt };
    case 'CompanyConfirmed':
      return { field: 'confirmedAt', time: event.data.confirmedAt };
    case 'ReportCorrected':
      return { field: 'correctedAt', time: event.data.correctedAt };
    case 'ReportRetracted':
      return { field: 'retractedAt', time: event.data.retractedAt };
    default: {
      const _unhandled: never = event;
      return undefined;
    }
  }
}

/** Default tolerance for a world time ahead of the api's clock: tools' clocks and zones go wrong by hours, not days. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

/**
 * A fact cannot have happened after it was posted; a world time further ahead of `now`
 * than the tolerated clock skew is a mistake (a wrong year, a wrong zone), not news.
 */
export function isBeyondClockSkew(time: IsoDateTime, now: Date, maxSkewMs: number): boolean {
  return Date.parse(time) - now.getTime() > maxSkewMs;
}

/** Whole seconds in UTC: what most tools post, and already the normal form. */
const UTC_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/**
 * The time in UTC as `YYYY-MM-DDTHH:MM:SS[.mmm]Z` (milliseconds only when not zero;
 * finer fractions are cut to milliseconds). Unchanged when it cannot be read.
 */
export function utcWorldTime(time: IsoDateTime): IsoDateTime {
  if (UTC_SECONDS.test(time)) return time;
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return time;
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}
