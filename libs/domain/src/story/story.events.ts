/**
 * The event catalogue of DESIGN.md (v1). The `data` shapes are fixed: tools,
 * tests and the demo rely on them. Times are ISO 8601 strings, as they travel
 * in JSON; they say when the fact happened in the world (when it was recorded
 * is metadata, see story.metadata.ts).
 */

/** An ISO 8601 date-time with a time zone (`2025-03-01T09:30:00Z`). */
export type IsoDateTime = string;

/**
 * The event type names. A contract that never changes: a schema change is an
 * upcaster where events are deserialised, never a renamed type.
 */
export const STORY_EVENT_TYPES = ['ReportPublished', 'SourceCited', 'CompanyDenied', 'CompanyConfirmed', 'ReportCorrected', 'ReportRetracted'] as const;

export type StoryEventType = (typeof STORY_EVENT_TYPES)[number];

export function isStoryEventType(type: unknown): type is StoryEventType {
  return typeof type === 'string' && (STORY_EVENT_TYPES as readonly string[]).includes(type);
}

/** How a source is cited: the keys of a claim's `sources` counts in the read shape. */
export const SOURCE_KINDS = ['anonymous', 'named', 'document', 'statement'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface ReportedClaim {
  readonly claimId: string;
  /** The claim in the report's own language. */
  readonly statement: string;
  /** Entity ids the claim is about (e.g. `ford`): the companies that may deny or confirm it. */
  readonly about: readonly string[];
}

export interface ReportPublishedData {
  readonly reportId: string;
  /** The outlet's name. */
  readonly outlet: string;
  readonly headline: string;
  readonly url?: string;
  /** BCP 47 language tag. */
  readonly language: string;
  readonly publishedAt: IsoDateTime;
  readonly claims: readonly ReportedClaim[];
  /** The report this one follows up or translates; it must be in the story. */
  readonly followsReportId?: string;
}

export interface SourceCitedData {
  readonly reportId: string;
  readonly sourceId: string;
  readonly kind: SourceKind;
  readonly description: string;
  /** People behind the source; absent means 1. */
  readonly count?: number;
  /** Claim ids the source supports. */
  readonly supports: readonly string[];
}

export interface CompanyDeniedData {
  readonly companyId: string;
  readonly companyName: string;
  /** The company's words, quoted. */
  readonly statement: string;
  /** BCP 47 language tag of the statement. */
  readonly language: string;
  readonly deniedAt: IsoDateTime;
  /** Claim ids the company denies. */
  readonly refutes: readonly string[];
  /** The report in the story where the denial was read, if any. */
  readonly reportedIn?: string;
}

export interface CompanyConfirmedData {
  readonly companyId: string;
  readonly companyName: string;
  readonly statement: string;
  readonly language: string;
  readonly confirmedAt: IsoDateTime;
  /** Claim ids the company confirms. */
  readonly confirms: readonly string[];
  readonly reportedIn?: string;
}

export interface ReportCorrectedData {
  readonly reportId: string;
  readonly correction: string;
  readonly correctedAt: IsoDateTime;
}

export interface ReportRetractedData {
  readonly reportId: string;
  readonly reason: string;
  readonly retractedAt: IsoDateTime;
}

type Event<Type extends StoryEventType, Data> = { readonly type: Type; readonly data: Data };

export type ReportPublished = Event<'ReportPublished', ReportPublishedData>;
export type SourceCited = Event<'SourceCited', SourceCitedData>;
export type CompanyDenied = Event<'CompanyDenied', CompanyDeniedData>;
export type CompanyConfirmed = Event<'CompanyConfirmed', CompanyConfirmedData>;
export type ReportCorrected = Event<'ReportCorrected', ReportCorrectedData>;
export type ReportRetracted = Event<'ReportRetracted', ReportRetractedData>;

/** Every event a story stream holds. */
export type StoryEvent = ReportPublished | SourceCited | CompanyDenied | CompanyConfirmed | ReportCorrected | ReportRetracted;

/** The data shape of one event type: `StoryEventData<'SourceCited'>`. */
export type StoryEventData<T extends StoryEventType> = Extract<StoryEvent, { type: T }>['data'];
