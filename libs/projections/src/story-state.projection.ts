import {
  claimStatusInput,
  deriveClaimStatus,
  evolve,
  initialStoryState,
  type ClaimStatus,
  type CompanyResponse,
  type IsoDateTime,
  type OpenStory,
  type ReportCorrection,
  type SourceKind,
  type Stance,
  type StoryState,
} from '@newsroom/domain';
import { advanceWatermark, happenedAt, initialWatermark, isApplied, type ViewEvent, type Watermark } from './view-event';

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

/**
 * What the view keeps per story: the domain's story state (immutable, shared
 * with the rules' fold, so the view and the rules can never disagree on what
 * an event means) and the log facts around it. The record itself is updated
 * in place.
 */
export interface StoryRecord {
  readonly storyId: string;
  state: StoryState;
  revision: bigint;
  position: bigint;
  readonly firstRecordedAt: IsoDateTime;
  lastRecordedAt: IsoDateTime;
  firstHappenedAt: IsoDateTime | null;
  firstHappenedMs: number;
  lastHappenedAt: IsoDateTime | null;
  lastHappenedMs: number;
}

export function newStoryRecord(event: ViewEvent): StoryRecord {
  return {
    storyId: event.storyId,
    state: initialStoryState,
    revision: -1n,
    position: -1n,
    firstRecordedAt: event.metadata.recordedAt,
    lastRecordedAt: event.metadata.recordedAt,
    firstHappenedAt: null,
    firstHappenedMs: Number.NaN,
    lastHappenedAt: null,
    lastHappenedMs: Number.NaN,
  };
}

/** Folds one event of the record's story into it, in place. */
export function applyToStoryRecord(record: StoryRecord, event: ViewEvent): void {
  record.state = evolve(record.state, event);
  record.revision = event.revision;
  record.position = event.position;
  record.lastRecordedAt = event.metadata.recordedAt;
  const at = happenedAt(event);
  if (at === null) return;
  const ms = Date.parse(at);
  // An unreadable time never displaces a readable one (NaN compares false).
  if (record.firstHappenedAt === null || ms < record.firstHappenedMs || Number.isNaN(record.firstHappenedMs)) {
    record.firstHappenedAt = at;
    record.firstHappenedMs = ms;
  }
  if (record.lastHappenedAt === null || ms > record.lastHappenedMs || Number.isNaN(record.lastHappenedMs)) {
    record.lastHappenedAt = at;
    record.lastHappenedMs = ms;
  }
}

/** Read as an open story with nothing in it (a stream whose events this build does not know). */
const NOTHING_YET: OpenStory = {
  status: 'open',
  reports: new Map(),
  claims: new Map(),
  sources: new Map(),
  responses: [],
  languages: [],
};

function reportStatus(report: { readonly corrections: readonly unknown[]; readonly retracted?: unknown }): ReportStatus {
  if (report.retracted) return 'retracted';
  return report.corrections.length > 0 ? 'corrected' : 'published';
}

function asClaimResponse(response: CompanyResponse): ClaimResponseReadModel {
  return { companyId: response.companyId, statement: response.statement, at: response.at };
}

/** The read shape of a story record: a fresh object, built on each read. */
export function toStoryReadModel(record: StoryRecord): StoryReadModel {
  const story = record.state.status === 'open' ? record.state : NOTHING_YET;
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
      corrections: report.corrections,
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
      statements: claim.statements,
      reportIds: claim.reportIds,
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
  return {
    storyId: record.storyId,
    revision: Number(record.revision),
    position: record.position.toString(),
    languages: story.languages,
    reports,
    claims,
    headline: first.done ? '' : first.value.headline,
    sources: [...story.sources.values()],
    companies: [...companies.values()],
    firstRecordedAt: record.firstRecordedAt,
    lastRecordedAt: record.lastRecordedAt,
    firstHappenedAt: record.firstHappenedAt,
    lastHappenedAt: record.lastHappenedAt,
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
