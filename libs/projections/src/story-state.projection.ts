import type { ClaimStatus, IsoDateTime, ReportCorrection, SourceKind, Stance } from '@newsroom/domain';
import type { NewsroomViews } from './newsroom.views';
import type { ClaimRecord, ReportRecord, StoryRecord } from './story-record.fold';

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

/**
 * A subject's current stance on a claim: its latest response by world time (the
 * claim status rule), or `none` before it responds. It shows why a claim that
 * lists a company's denial and its later confirmation is `confirmed`.
 */
export interface SubjectStanceReadModel {
  readonly companyId: string;
  readonly stance: Stance | 'none';
  /** When the company said it (its response's world time); null for `none`. */
  readonly at: IsoDateTime | null;
}

export interface ClaimReadModel {
  readonly claimId: string;
  readonly statement: string;
  readonly about: readonly string[];
  readonly status: ClaimStatus;
  readonly sources: SourceCounts;
  readonly denials: readonly ClaimResponseReadModel[];
  readonly confirmations: readonly ClaimResponseReadModel[];
  /** Each distinct subject of `about`, in its order, with the stance the status counts. */
  readonly stances: readonly SubjectStanceReadModel[];
  /** Language of `statement` (the report that introduced the claim). */
  readonly language: string;
  /** One wording per carrying report (a follow-up or translation in its own language). */
  readonly statements: readonly { readonly reportId: string; readonly language: string; readonly statement: string }[];
  readonly reportIds: readonly string[];
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
  readonly companies: readonly StoryCompanyReadModel[];
  /** When the ledger recorded the story's first and last events. */
  readonly firstRecordedAt: IsoDateTime;
  readonly lastRecordedAt: IsoDateTime;
  /** The earliest and latest world times of its events (null until an event carries one). */
  readonly firstHappenedAt: IsoDateTime | null;
  readonly lastHappenedAt: IsoDateTime | null;
}

// ---------------------------------------------------------------- Reads

/**
 * The earliest and latest world times of the story's events, from what the
 * record holds (each report's publication, correction and retraction, each
 * response). Computed on read: parsing times costs more than folding an
 * event, and reads are rare next to events. An unreadable time is left out.
 */
function worldTimes(record: StoryRecord): { first: IsoDateTime | null; last: IsoDateTime | null } {
  let first: IsoDateTime | null = null;
  let last: IsoDateTime | null = null;
  let firstMs = Number.POSITIVE_INFINITY;
  let lastMs = Number.NEGATIVE_INFINITY;
  const see = (at: IsoDateTime): void => {
    const ms = Date.parse(at);
    if (ms < firstMs) [first, firstMs] = [at, ms];
    if (ms > lastMs) [last, lastMs] = [at, ms];
  };
  for (const report of record.reports.values()) {
    see(report.publishedAt);
    for (const correction of report.corrections ?? []) see(correction.correctedAt);
    if (report.retraction) see(report.retraction.retractedAt);
  }
  for (const response of record.responses) see(response.at);
  return { first, last };
}

function toReportReadModel(report: ReportRecord): ReportReadModel {
  return {
    reportId: report.reportId,
    outlet: report.outlet,
    language: report.language,
    status: report.retraction ? 'retracted' : report.corrections ? 'corrected' : 'published',
    headline: report.headline,
    ...(report.url !== undefined && { url: report.url }),
    publishedAt: report.publishedAt,
    ...(report.followsReportId !== undefined && { followsReportId: report.followsReportId }),
    corrections: report.corrections ? [...report.corrections] : [],
    ...(report.retraction && { retraction: report.retraction }),
  };
}

function stancesOf(claim: ClaimRecord): SubjectStanceReadModel[] {
  const stances: SubjectStanceReadModel[] = [];
  claim.about.forEach((companyId, i) => {
    // The fold keeps a subject's stance at its first place in `about`; a repeated subject is shown once.
    if (claim.about.indexOf(companyId) !== i) return;
    const latest = claim.latest?.[i];
    stances.push(latest === undefined ? { companyId, stance: 'none', at: null } : { companyId, stance: latest.stance, at: latest.at });
  });
  return stances;
}

function toClaimReadModel(claim: ClaimRecord): ClaimReadModel {
  const denials: ClaimResponseReadModel[] = [];
  const confirmations: ClaimResponseReadModel[] = [];
  for (const response of claim.responses ?? []) {
    (response.stance === 'denied' ? denials : confirmations).push({
      companyId: response.companyId,
      statement: response.statement,
      at: response.at,
    });
  }
  return {
    claimId: claim.claimId,
    statement: claim.statement,
    about: [...claim.about],
    status: claim.status,
    sources: { anonymous: claim.anonymous, named: claim.named, document: claim.document, statement: claim.statementSources },
    denials,
    confirmations,
    stances: stancesOf(claim),
    language: claim.language,
    statements: [{ reportId: claim.reportIds[0], language: claim.language, statement: claim.statement }, ...(claim.wordings ?? [])],
    reportIds: [...claim.reportIds],
  };
}

/** The read shape of a story record: a fresh object, built on each read. */
export function toStoryReadModel(record: StoryRecord): StoryReadModel {
  const companies = new Map<string, { companyId: string; companyName: string; responses: CompanyResponseReadModel[] }>();
  for (const response of record.responses) {
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
      claimIds: [...response.claimIds],
      ...(response.reportedIn !== undefined && { reportedIn: response.reportedIn }),
    });
  }
  const first = record.reports.values().next();
  const happened = worldTimes(record);
  return {
    storyId: record.storyId,
    revision: record.revision,
    position: record.position.toString(),
    languages: [...record.languages],
    reports: [...record.reports.values()].map(toReportReadModel),
    claims: [...record.claims.values()].map(toClaimReadModel),
    headline: first.done ? '' : first.value.headline,
    companies: [...companies.values()],
    firstRecordedAt: record.firstRecordedAt,
    lastRecordedAt: record.lastRecordedAt,
    firstHappenedAt: happened.first,
    lastHappenedAt: happened.last,
  };
}

export function getStoryState(views: NewsroomViews, storyId: string): StoryReadModel | undefined {
  const record = views.stories.get(storyId);
  return record && toStoryReadModel(record);
}
