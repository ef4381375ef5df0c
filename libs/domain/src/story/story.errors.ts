/**
 * The stable codes of the story's rules. They are a contract with tools (they
 * appear in the api's Problem Details), so a code is never renamed.
 * `STORY_NOT_FOUND` is the one "unknown story" (404); every other code is a
 * broken rule (409).
 */
export const STORY_RULE_CODES = [
  /** Any event but a first ReportPublished on a story that has no events. */
  'STORY_NOT_FOUND',
  /** An empty array was posted: nothing to accept. */
  'NO_EVENTS',
  /** A type outside the catalogue reached the rules (the api validates first; defence in depth). */
  'UNKNOWN_EVENT_TYPE',
  /** ReportPublished with a reportId already in the story. */
  'REPORT_ALREADY_EXISTS',
  /** ReportPublished without claims: a report carries at least one. */
  'REPORT_HAS_NO_CLAIMS',
  /** ReportPublished naming the same claimId twice. */
  'DUPLICATE_CLAIM_IN_REPORT',
  /** A claim about no entity: nobody could deny or confirm it. */
  'CLAIM_HAS_NO_SUBJECT',
  /** A claim naming the same entity twice in `about`. */
  'DUPLICATE_CLAIM_SUBJECT',
  /** A report re-carrying a claim of the story with other entities in `about`. */
  'CLAIM_SUBJECTS_MISMATCH',
  /** `followsReportId` names no report of the story. */
  'FOLLOWED_REPORT_NOT_FOUND',
  /** A time earlier than the publication of the report it is about (follow-up, correction, retraction). */
  'EARLIER_THAN_PUBLICATION',
  /** `reportId` / `reportedIn` names no report of the story. */
  'UNKNOWN_REPORT',
  /** A claimId that no report of the story carries. */
  'UNKNOWN_CLAIM',
  /** SourceCited supporting a claim of the story that its report does not carry. */
  'CLAIM_NOT_IN_REPORT',
  /** SourceCited with a sourceId already in the story. */
  'SOURCE_ALREADY_EXISTS',
  /** SourceCited with a count that is not a whole number of people from 1 up. */
  'INVALID_SOURCE_COUNT',
  /** SourceCited / CompanyDenied / CompanyConfirmed referencing no claim. */
  'NO_CLAIM_REFERENCED',
  /** The same claimId twice in `supports`, `refutes` or `confirms`. */
  'DUPLICATE_CLAIM_REFERENCE',
  /** A company denying or confirming a claim that is not about it. */
  'CLAIM_NOT_ABOUT_COMPANY',
  /** Correcting, or citing a source for, a retracted report. */
  'REPORT_RETRACTED',
  /** Retracting a report twice. */
  'REPORT_ALREADY_RETRACTED',
] as const;

export type StoryRuleCode = (typeof STORY_RULE_CODES)[number];

/**
 * A refused post. A plain class (no HTTP in libs): the api turns it into
 * Problem Details, 404 for STORY_NOT_FOUND and 409 for the rest.
 */
export class StoryRuleError extends Error {
  override readonly name = 'StoryRuleError';

  constructor(
    readonly code: StoryRuleCode,
    message: string,
    /** What was wrong, for tools: the ids involved. */
    readonly details: Readonly<Record<string, unknown>> = {},
    /** The position of the refused event in the posted array (0 for a single event). */
    readonly eventIndex = 0,
  ) {
    super(message);
  }
}

export function isStoryRuleError(error: unknown): error is StoryRuleError {
  return error instanceof StoryRuleError;
}
