import type { CompanyConfirmed, CompanyDenied, IsoDateTime, ReportCorrected, ReportPublished, ReportRetracted, SourceCited, StoryEvent } from './story.events';
import { StoryRuleError, type StoryRuleCode } from './story.errors';
import { evolve } from './story.evolve';
import type { OpenStory, ReportState, StoryState } from './story.state';

/**
 * The story's rules (DESIGN.md's catalogue, plus what a newsroom expects).
 *
 * `decide` takes the story's current state and the events a tool posted (one,
 * or an array that is all-or-nothing) and returns the events to append, or
 * throws a StoryRuleError naming the first broken rule and the index of the
 * event that broke it. An array is checked in order, each event against the
 * state after the ones before it, so a report and the sources it cites can be
 * posted together.
 *
 * Shape (identifier syntax, lengths, ISO times, language tags) is the intake
 * DTOs' job (see identifier.rules.ts and limits.constants.ts); these are the
 * rules that need the story's history.
 *
 * Choices where DESIGN.md is silent, and why:
 * - A follow-up may follow a retracted report: a piece reporting the retraction
 *   is a follow-up too.
 * - A report published after every report carrying a claim was retracted may
 *   carry that claim again: another outlet can stand behind it independently,
 *   and the claim is live again (its status is derived from live reports).
 * - A claim keeps the subjects of the report that introduced it; a report
 *   re-carrying it must name the same entities (any order). Translations change
 *   the statement's language, never who the claim is about, and "every subject
 *   denied" must not shift under earlier denials.
 * - Denying or confirming a claim whose reports are all retracted is accepted:
 *   a company's words are a fact of their own (they stay on the record, and the
 *   claim's status stays `retracted`). Likewise `reportedIn` may name a
 *   retracted report: it only says where the response was read.
 * - A company may respond to the same claim more than once (again, in another
 *   language, or changing its stance); the claim status uses its latest stance.
 *   A retried post is not a second response: intake's event ids make it
 *   idempotent before the rules run.
 * - A source may not be cited for a retracted report, nor a correction made to
 *   one: the retraction is the report's last word, and a withdrawn report must
 *   not add support to a claim.
 * - Corrections and retractions cannot predate the report's publication, nor a
 *   follow-up its original; a company may respond before a report (journalists
 *   ask for comment before publishing), so responses have no such bound.
 */
export function decide(state: StoryState, posted: StoryEvent | readonly StoryEvent[]): readonly StoryEvent[] {
  const events: readonly StoryEvent[] = isEventArray(posted) ? posted : [posted];
  if (events.length === 0) throw new StoryRuleError('NO_EVENTS', 'Nothing was posted: the array is empty.');
  let current = state;
  for (const [index, event] of events.entries()) {
    try {
      check(current, event);
    } catch (error) {
      if (error instanceof StoryRuleError && index > 0) {
        throw new StoryRuleError(error.code, `Event ${index}: ${error.message}`, error.details, index);
      }
      throw error;
    }
    // The next event is checked against the story as this one leaves it (no fold after the last).
    if (index < events.length - 1) current = evolve(current, event);
  }
  return events;
}

function isEventArray(posted: StoryEvent | readonly StoryEvent[]): posted is readonly StoryEvent[] {
  return Array.isArray(posted);
}

function refuse(code: StoryRuleCode, message: string, details: Record<string, unknown> = {}): never {
  throw new StoryRuleError(code, message, details);
}

function check(state: StoryState, event: StoryEvent): void {
  switch (event.type) {
    case 'ReportPublished':
      return checkReportPublished(state, event);
    case 'SourceCited':
      return checkSourceCited(existingStory(state, event), event);
    case 'CompanyDenied':
      return checkResponse(existingStory(state, event), event, event.data.refutes, 'refutes');
    case 'CompanyConfirmed':
      return checkResponse(existingStory(state, event), event, event.data.confirms, 'confirms');
    case 'ReportCorrected':
      return checkReportCorrected(existingStory(state, event), event);
    case 'ReportRetracted':
      return checkReportRetracted(existingStory(state, event), event);
    default: {
      // Compile-time exhaustiveness; at run time, a type that slipped past intake.
      const _unhandled: never = event;
      const type: unknown = (event as { type: unknown }).type;
      refuse('UNKNOWN_EVENT_TYPE', `Unknown event type ${JSON.stringify(type)}.`, { type });
    }
  }
}

/** DESIGN.md: any event but a first ReportPublished on a story that does not exist is an unknown story. */
function existingStory(state: StoryState, event: StoryEvent): OpenStory {
  if (state.status === 'empty') {
    refuse('STORY_NOT_FOUND', `The story does not exist: it opens with a ReportPublished, not a ${event.type}.`);
  }
  return state;
}

function checkReportPublished(state: StoryState, { data }: ReportPublished): void {
  const story = state.status === 'open' ? state : undefined;
  if (story?.reports.has(data.reportId)) {
    refuse('REPORT_ALREADY_EXISTS', `Report "${data.reportId}" is already in the story.`, { reportId: data.reportId });
  }
  if (data.followsReportId !== undefined) {
    const followed = story?.reports.get(data.followsReportId);
    if (!followed) {
      refuse('FOLLOWED_REPORT_NOT_FOUND', `Report "${data.reportId}" follows "${data.followsReportId}", which is not in the story.`, {
        reportId: data.reportId,
        followsReportId: data.followsReportId,
      });
    }
    if (isEarlier(data.publishedAt, followed.publishedAt)) {
      refuse('EARLIER_THAN_PUBLICATION', `Report "${data.reportId}" is dated before the report it follows, "${followed.reportId}".`, {
        reportId: data.reportId,
        followsReportId: followed.reportId,
        publishedAt: data.publishedAt,
        followedPublishedAt: followed.publishedAt,
      });
    }
  }
  if (data.claims.length === 0) {
    refuse('REPORT_HAS_NO_CLAIMS', `Report "${data.reportId}" carries no claim; a report carries at least one.`, {
      reportId: data.reportId,
    });
  }
  const seen = new Set<string>();
  for (const claim of data.claims) {
    const { claimId, about } = claim;
    if (seen.has(claimId)) {
      refuse('DUPLICATE_CLAIM_IN_REPORT', `Report "${data.reportId}" carries claim "${claimId}" twice.`, {
        reportId: data.reportId,
        claimId,
      });
    }
    seen.add(claimId);
    if (about.length === 0) {
      refuse('CLAIM_HAS_NO_SUBJECT', `Claim "${claimId}" is about no entity, so no one could deny or confirm it.`, { claimId });
    }
    const subjects = new Set(about);
    if (subjects.size !== about.length) {
      refuse('DUPLICATE_CLAIM_SUBJECT', `Claim "${claimId}" names an entity twice in "about".`, { claimId, about });
    }
    const known = story?.claims.get(claimId);
    if (known && (known.about.length !== subjects.size || known.about.some((entity) => !subjects.has(entity)))) {
      refuse('CLAIM_SUBJECTS_MISMATCH', `Claim "${claimId}" is already in the story about other entities.`, {
        claimId,
        about,
        storyAbout: known.about,
      });
    }
  }
}

function checkSourceCited(story: OpenStory, { data }: SourceCited): void {
  const report = knownReport(story, data.reportId, 'reportId');
  if (report.retracted) {
    refuse('REPORT_RETRACTED', `Report "${data.reportId}" was retracted; no source can be cited for it.`, {
      reportId: data.reportId,
    });
  }
  if (story.sources.has(data.sourceId)) {
    refuse('SOURCE_ALREADY_EXISTS', `Source "${data.sourceId}" is already in the story.`, { sourceId: data.sourceId });
  }
  if (data.count !== undefined && !(Number.isInteger(data.count) && data.count >= 1)) {
    refuse('INVALID_SOURCE_COUNT', `Source "${data.sourceId}" has count ${String(data.count)}; a count is a whole number of people, at least 1.`, {
      sourceId: data.sourceId,
      count: data.count,
    });
  }
  for (const claimId of knownClaims(story, data.supports, 'supports')) {
    if (!report.claimIds.includes(claimId)) {
      refuse('CLAIM_NOT_IN_REPORT', `Report "${report.reportId}" does not carry claim "${claimId}", so its source cannot support it.`, {
        reportId: report.reportId,
        sourceId: data.sourceId,
        claimId,
      });
    }
  }
}

function checkResponse(story: OpenStory, { type, data }: CompanyDenied | CompanyConfirmed, claimIds: readonly string[], field: 'refutes' | 'confirms'): void {
  for (const claimId of knownClaims(story, claimIds, field)) {
    const claim = story.claims.get(claimId);
    if (claim && !claim.about.includes(data.companyId)) {
      refuse('CLAIM_NOT_ABOUT_COMPANY', `Claim "${claimId}" is not about "${data.companyId}", so ${type} cannot name it.`, {
        claimId,
        companyId: data.companyId,
        about: claim.about,
      });
    }
  }
  if (data.reportedIn !== undefined) knownReport(story, data.reportedIn, 'reportedIn');
}

function checkReportCorrected(story: OpenStory, { data }: ReportCorrected): void {
  const report = knownReport(story, data.reportId, 'reportId');
  if (report.retracted) {
    refuse('REPORT_RETRACTED', `Report "${data.reportId}" was retracted; it can no longer be corrected.`, {
      reportId: data.reportId,
      retractedAt: report.retracted.retractedAt,
    });
  }
  notBeforePublication(report, data.correctedAt, 'correctedAt');
}

function checkReportRetracted(story: OpenStory, { data }: ReportRetracted): void {
  const report = knownReport(story, data.reportId, 'reportId');
  if (report.retracted) {
    refuse('REPORT_ALREADY_RETRACTED', `Report "${data.reportId}" was already retracted.`, {
      reportId: data.reportId,
      retractedAt: report.retracted.retractedAt,
    });
  }
  notBeforePublication(report, data.retractedAt, 'retractedAt');
}

function knownReport(story: OpenStory, reportId: string, field: string): ReportState {
  const report = story.reports.get(reportId);
  if (!report) refuse('UNKNOWN_REPORT', `Report "${reportId}" (${field}) is not in the story.`, { reportId, field });
  return report;
}

/** Checks a list of claim references (non-empty, no repeats, each in the story) and returns it. */
function knownClaims(story: OpenStory, claimIds: readonly string[], field: string): readonly string[] {
  if (claimIds.length === 0) refuse('NO_CLAIM_REFERENCED', `"${field}" names no claim.`, { field });
  const seen = new Set<string>();
  for (const claimId of claimIds) {
    if (seen.has(claimId)) {
      refuse('DUPLICATE_CLAIM_REFERENCE', `"${field}" names claim "${claimId}" twice.`, { field, claimId });
    }
    seen.add(claimId);
    if (!story.claims.has(claimId)) {
      refuse('UNKNOWN_CLAIM', `Claim "${claimId}" (${field}) is not carried by any report of the story.`, { claimId, field });
    }
  }
  return claimIds;
}

function notBeforePublication(report: ReportState, at: IsoDateTime, field: string): void {
  if (isEarlier(at, report.publishedAt)) {
    refuse('EARLIER_THAN_PUBLICATION', `${field} ${at} is before report "${report.reportId}" was published (${report.publishedAt}).`, {
      reportId: report.reportId,
      [field]: at,
      publishedAt: report.publishedAt,
    });
  }
}

/** True when both times parse and `a` is strictly before `b` (unparseable times are the DTOs' to refuse). */
function isEarlier(a: IsoDateTime, b: IsoDateTime): boolean {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  return !Number.isNaN(ta) && !Number.isNaN(tb) && ta < tb;
}
