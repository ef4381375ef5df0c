/**
 * The api's read shapes as the desk uses them. Hand-written until the api's OpenAPI
 * document describes every read shape; then these become aliases of ./schema.d.ts.
 */
export const CLAIM_STATUSES = ['reported', 'disputed', 'denied', 'confirmed', 'contested', 'retracted'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export const SOURCE_KINDS = ['anonymous', 'named', 'document', 'statement'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
export type Role = 'writer' | 'reader' | 'auditor' | 'metrics';

export interface Session {
  readonly principal: string;
  readonly roles: readonly string[];
}

export interface StorySummary {
  readonly storyId: string;
  readonly revision: number;
  readonly position: string;
  readonly headline: string;
  readonly outlets: readonly string[];
  readonly languages: readonly string[];
  readonly companies: readonly string[];
  readonly claimStatuses: Partial<Record<ClaimStatus, number>>;
  readonly firstRecordedAt: string;
  readonly lastRecordedAt: string;
}

export interface StoryListAnswer {
  readonly items: readonly StorySummary[];
  readonly nextCursor: string | null;
  readonly position: string;
}

export interface ReportReadModel {
  readonly reportId: string;
  readonly outlet: string;
  readonly language: string;
  readonly status: 'published' | 'corrected' | 'retracted';
  readonly headline: string;
  readonly url?: string;
  readonly publishedAt: string;
  readonly followsReportId?: string;
  readonly corrections: readonly { readonly correction: string; readonly correctedAt: string }[];
  readonly retraction?: { readonly reason: string; readonly retractedAt: string };
}

export interface ClaimResponse {
  readonly companyId: string;
  readonly statement: string;
  readonly at: string;
}

export interface ClaimReadModel {
  readonly claimId: string;
  readonly statement: string;
  readonly about: readonly string[];
  readonly status: ClaimStatus;
  readonly sources: Record<SourceKind, number>;
  readonly denials: readonly ClaimResponse[];
  readonly confirmations: readonly ClaimResponse[];
  readonly language: string;
  readonly statements: readonly { readonly reportId: string; readonly language: string; readonly statement: string }[];
  readonly reportIds: readonly string[];
}

export interface CompanyResponse {
  readonly stance: 'denied' | 'confirmed';
  readonly statement: string;
  readonly language: string;
  readonly at: string;
  readonly claimIds: readonly string[];
  readonly reportedIn?: string;
}

export interface StoryCompany {
  readonly companyId: string;
  readonly companyName: string;
  readonly responses: readonly CompanyResponse[];
}

export interface StoryReadModel {
  readonly storyId: string;
  readonly revision: number;
  readonly position: string;
  readonly languages: readonly string[];
  readonly reports: readonly ReportReadModel[];
  readonly claims: readonly ClaimReadModel[];
  readonly headline: string;
  readonly companies: readonly StoryCompany[];
  readonly firstRecordedAt: string;
  readonly lastRecordedAt: string;
  readonly firstHappenedAt: string | null;
  readonly lastHappenedAt: string | null;
}

export interface TimelineEntry {
  readonly revision: number;
  readonly position: string;
  readonly type: string;
  readonly subject: string;
  readonly happenedAt: string | null;
  readonly recordedAt: string;
  readonly recordedBy: string;
}

export interface StoryTimeline {
  readonly storyId: string;
  readonly events: readonly TimelineEntry[];
}

export interface CompanyStance {
  readonly storyId: string;
  readonly claimIds: readonly string[];
  readonly statement: string;
  readonly language: string;
  readonly at: string;
  readonly reportedIn?: string;
  readonly recordedAt: string;
  readonly revision: number;
  readonly position: string;
}

export interface CompanyReadModel {
  readonly companyId: string;
  readonly companyName: string;
  readonly denials: readonly CompanyStance[];
  readonly confirmations: readonly CompanyStance[];
}

export interface HistoryEntry {
  readonly eventId: string;
  readonly revision: number;
  readonly position: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly tool: string | null;
  readonly correlationId: string | null;
  readonly causationId: string | null;
  readonly data: unknown;
}

export interface StoryHistory {
  readonly storyId: string;
  readonly revision: number;
  readonly events: readonly HistoryEntry[];
}

export interface ProjectionsStatus {
  readonly position: string;
  readonly digest: string;
  readonly stories: number;
  readonly companies: number;
  readonly events: number;
  readonly caughtUp: boolean;
  readonly state: string;
  readonly lag: { readonly storyHead: string | null; readonly positions: string | null };
}

/** One change on GET /stream (`event: story`). */
export interface StoryChange {
  readonly id: string;
  readonly storyId: string;
  readonly revision: number;
  readonly position: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly story: StorySummary;
}

/** RFC 9457 Problem Details as the api answers every refusal. */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status: number;
  readonly detail?: string;
  readonly code?: string;
  readonly errors?: readonly { readonly pointer?: string; readonly parameter?: string; readonly detail: string }[];
}
