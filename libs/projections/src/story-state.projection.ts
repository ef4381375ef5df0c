import {
  claimStatusInput,
  deriveClaimStatus,
  type ClaimStatus,
  type CompanyResponse,
  type IsoDateTime,
  type ReportCorrection,
  type SourceKind,
  type Stance,
} from '@newsroom/domain';
import { emptyFoldedStory, foldInPlace, type FoldedStory } from './story-fold';
import { advanceWatermark, initialWatermark, isApplied, type ViewEvent, type Watermark } from './view-event';

// ---------------------------------------------------------------- Read shape

/** A report's status in the read shape: retraction wins over corrections. */
export type ReportStatus = 'published' | 'corrected' | 'retracted';

export interface ReportReadModel {
  readonly reportId: string;
  readonly outlet: string;
  readonly language: string;
  readonly status: ReportStatus;
  readonly headline: string;
  readonly url?: string;
  readonly publishedAt: IsoDateTime;
  readonly followsReportId?: string;
  readonly corrections: readonly ReportCorrection[];
  readonly retraction?: { readonly reason: string; readonly retractedAt: IsoDateTime };
}

/** People behind the sources supporting a claim, by kind of source. */
export type SourceCounts = Record<SourceKind, number>;

/** A denial or confirmation as a claim lists it (DESIGN.md's fixed shape). */
export interface ClaimResponseReadModel {
  readonly companyId: string;
  readonly statement: string;
  readonly at: IsoDateTime;
}

export interface ClaimReadModel {
  readonly claimId: string;
  readonly statement: string;
  readonly about: readonly string[];
  readonly status: ClaimStatus;
  readonly sources: SourceCounts;
  readonly denials: readonly ClaimResponseReadModel[];
  readonly confirmations: readonly ClaimResponseReadModel[];
  /** Language of `statement` (the report that introduced the claim). */
  readonly language: string;
  /** One wording per carrying report (a follow-up or translation in its own language). */
  readonly statements: readonly { readonly reportId: string; readonly language: string; readonly statement: string }[];
  readonly reportIds: readonly string[];
}

export interface SourceReadModel {
  readonly sourceId: string;
  readonly reportId: string;
  readonly kind: SourceKind;
  readonly description: string;
  readonly count: number;
  readonly supports: readonly string[];
}

export interface CompanyResponseReadModel {
  readonly stance: Stance;
  readonly statement: string;
  readonly language: string;
  readonly at: IsoDateTime;
  readonly claimIds: readonly string[];
  readonly reportedIn?: string;
}

/** Each company that responded in the story, with its responses in recording order. */
export interface StoryCompanyReadModel {
  readonly companyId: string;
  readonly companyName: string;
  readonly responses: readonly CompanyResponseReadModel[];
}

/**
 * A story's read shape. The fields up to `claims` are DESIGN.md's fixed ones;
 * the rest is free. `position` is the commit position of the story's last
 * event, as a decimal string (uint64 does not fit a JSON number).
 */
export interface StoryReadModel {
  readonly storyId: string;
  readonly revision: number;
  readonly position: string;
  readonly languages: readonly string[];
  readonly reports: readonly ReportReadModel[];
  readonly claims: readonly ClaimReadModel[];
  /** The first report's headline. */
  readonly headline: string;
  readonly sources: readonly SourceReadModel[];
  readonly companies: readonly StoryCompanyReadModel[];
  /** When the ledger recorded the story's first and last events. */
  readonly firstRecordedAt: IsoDateTime;
  readonly lastRecordedAt: IsoDateTime;
  /** The earliest and latest world times of its events (null until an event carries one). */
  readonly firstHappenedAt: IsoDateTime | null;
  readonly lastHappenedAt: IsoDateTime | null;
}

// ---------------------------------------------------------------- One story

/** What the view keeps per story: the story folded in place, and the log facts around it. */
export interface StoryRecord {
  readonly storyId: string;
  readonly story: FoldedStory;
  revision: bigint;
  position: bigint;
  readonly firstRecordedAt: IsoDateTime;
  lastRecordedAt: IsoDateTime;
}

export function newStoryRecord(event: ViewEvent): StoryRecord {
  return {
    storyId: event.storyId,
    story: emptyFoldedStory(),
    revision: -1n,
    position: -1n,
    firstRecordedAt: event.metadata.recordedAt,
    lastRecordedAt: event.metadata.recordedAt,
  };
}

/** Folds one event of the record's story into it, in place. */
export function applyToStoryRecord(record: StoryRecord, event: ViewEvent): void {
  foldInPlace(record.story, event);
  record.revision = event.revision;
  record.position = event.position;
  record.lastRecordedAt = event.metadata.recordedAt;
}

/**
 * The earliest and latest world times of the story's events, from what the
 * story holds (each report's publication, correction and retraction, each
 * response). Computed on read: parsing times costs more than the fold itself,
 * and reads are rare next to events. An unreadable time is left out.
 */
function worldTimes(story: FoldedStory): { first: IsoDateTime | null; last: IsoDateTime | null } {
  let first: IsoDateTime | null = null;
  let last: IsoDateTime | null = null;
  let firstMs = Number.POSITIVE_INFINITY;
  let lastMs = Number.NEGATIVE_INFINITY;
  const see = (at: IsoDateTime): void => {
    const ms = Date.parse(at);
    if (ms < firstMs) [first, firstMs] = [at, ms];
    if (ms > lastMs) [last, lastMs] = [at, ms];
  };
  for (const report of story.reports.values()) {
    see(report.publishedAt);
    for (const correction of report.corrections) see(correction.correctedAt);
    if (report.retracted) see(report.retracted.retractedAt);
  }
  for (const response of story.responses) see(response.at);
  return { first, last };
}

function reportStatus(report: { readonly corrections: readonly unknown[]; readonly retracted?: unknown }): ReportStatus {
  if (report.retracted) return 'retracted';
  return report.corrections.length > 0 ? 'corrected' : 'published';
}

function asClaimResponse(response: CompanyResponse): ClaimResponseReadModel {
  return { companyId: response.companyId, statement: response.statement, at: response.at };
}

/** The read shape of a story record: a fresh object, built on each read. */
export function toStoryReadModel(record: StoryRecord): StoryReadModel {
  const { story } = record;
  const reports: ReportReadModel[] = [];
  for (const report of story.reports.values()) {
    reports.push({
      reportId: report.reportId,
      outlet: report.outlet,
      language: report.language,
      status: reportStatus(report),
      headline: report.headline,
      ...(report.url !== undefined && { url: report.url }),
      publishedAt: report.publishedAt,
      ...(report.followsReportId !== undefined && { followsReportId: report.followsReportId }),
      corrections: [...report.corrections],
      ...(report.retracted && { retraction: report.retracted }),
    });
  }
  const claims: ClaimReadModel[] = [];
  for (const claim of story.claims.values()) {
    const sources: SourceCounts = { anonymous: 0, named: 0, document: 0, statement: 0 };
    for (const sourceId of claim.sourceIds) {
      const source = story.sources.get(sourceId);
      if (source) sources[source.kind] += source.count;
    }
    const denials: ClaimResponseReadModel[] = [];
    const confirmations: ClaimResponseReadModel[] = [];
    for (const response of story.responses) {
      if (!response.claimIds.includes(claim.claimId)) continue;
      (response.stance === 'denied' ? denials : confirmations).push(asClaimResponse(response));
    }
    claims.push({
      claimId: claim.claimId,
      statement: claim.statement,
      about: claim.about,
      status: deriveClaimStatus(claimStatusInput(story, claim)),
      sources,
      denials,
      confirmations,
      language: claim.language,
      statements: [...claim.statements],
      reportIds: [...claim.reportIds],
    });
  }
  const companies = new Map<string, { companyId: string; companyName: string; responses: CompanyResponseReadModel[] }>();
  for (const response of story.responses) {
    let company = companies.get(response.companyId);
    if (!company) {
      company = { companyId: response.companyId, companyName: response.companyName, responses: [] };
      companies.set(response.companyId, company);
    }
    company.companyName = response.companyName;
    company.responses.push({
      stance: response.stance,
      statement: response.statement,
      language: response.language,
      at: response.at,
      claimIds: response.claimIds,
      ...(response.reportedIn !== undefined && { reportedIn: response.reportedIn }),
    });
  }
  const first = story.reports.values().next();
  const happened = worldTimes(story);
  return {
    storyId: record.storyId,
    revision: Number(record.revision),
    position: record.position.toString(),
    languages: [...story.languages],
    reports,
    claims,
    headline: first.done ? '' : first.value.headline,
    sources: [...story.sources.values()],
    companies: [...companies.values()],
    firstRecordedAt: record.firstRecordedAt,
    lastRecordedAt: record.lastRecordedAt,
    firstHappenedAt: happened.first,
    lastHappenedAt: happened.last,
  };
}

// ---------------------------------------------------------------- The view

/**
 * Every story's current state, keyed by storyId. Updated in place by
 * evolveStoryStates; read through getStoryState, which builds a fresh object.
 */
export interface StoryStatesView {
  readonly applied: Watermark;
  readonly stories: Map<string, StoryRecord>;
}

export function createStoryStatesView(): StoryStatesView {
  return { applied: initialWatermark(), stories: new Map() };
}

export function evolveStoryStates(view: StoryStatesView, event: ViewEvent): StoryStatesView {
  if (isApplied(view.applied, event)) return view;
  let record = view.stories.get(event.storyId);
  if (!record) {
    record = newStoryRecord(event);
    view.stories.set(event.storyId, record);
  }
  applyToStoryRecord(record, event);
  advanceWatermark(view.applied, event);
  return view;
}

export function getStoryState(view: StoryStatesView, storyId: string): StoryReadModel | undefined {
  const record = view.stories.get(storyId);
  return record && toStoryReadModel(record);
}
