import type { IsoDateTime, SourceKind } from './story.events';

/**
 * What the rules and the claim status need to know about a story: a slim
 * union keyed on `status`. Collections are ReadonlyMaps in insertion order
 * (the order the log recorded them); evolve never mutates a state, it copies
 * what changes, so a state is safe to keep (e.g. "the story as of revision n").
 */
export type StoryState = EmptyStory | OpenStory;

/** No event yet: the stream does not exist. */
export interface EmptyStory {
  readonly status: 'empty';
}

export interface OpenStory {
  readonly status: 'open';
  readonly reports: ReadonlyMap<string, ReportState>;
  readonly claims: ReadonlyMap<string, ClaimState>;
  readonly sources: ReadonlyMap<string, SourceState>;
  /** Denials and confirmations in recording order. */
  readonly responses: readonly CompanyResponse[];
  /** Languages of the story's reports, in order of first appearance. */
  readonly languages: readonly string[];
}

export interface ReportCorrection {
  readonly correction: string;
  readonly correctedAt: IsoDateTime;
}

export interface ReportState {
  readonly reportId: string;
  readonly outlet: string;
  readonly headline: string;
  readonly url?: string;
  readonly language: string;
  readonly publishedAt: IsoDateTime;
  readonly followsReportId?: string;
  /** The claims it carries, in the report's order. */
  readonly claimIds: readonly string[];
  readonly corrections: readonly ReportCorrection[];
  readonly retracted?: { readonly reason: string; readonly retractedAt: IsoDateTime };
}

/** A claim's wording in one report. */
export interface ClaimStatement {
  readonly reportId: string;
  readonly language: string;
  readonly statement: string;
}

export interface ClaimState {
  readonly claimId: string;
  /** Its subjects, fixed by the first report that carried it. */
  readonly about: readonly string[];
  /** The first wording (the report that introduced the claim). */
  readonly statement: string;
  readonly language: string;
  /** One wording per carrying report, in recording order. */
  readonly statements: readonly ClaimStatement[];
  /** The reports carrying it, in recording order. */
  readonly reportIds: readonly string[];
  /** The sources supporting it, in recording order. */
  readonly sourceIds: readonly string[];
}

export interface SourceState {
  readonly sourceId: string;
  readonly reportId: string;
  readonly kind: SourceKind;
  readonly description: string;
  /** People behind it (the event's `count`, 1 when absent). */
  readonly count: number;
  readonly supports: readonly string[];
}

export type Stance = 'denied' | 'confirmed';

/** A CompanyDenied or CompanyConfirmed, in one shape. */
export interface CompanyResponse {
  readonly stance: Stance;
  readonly companyId: string;
  readonly companyName: string;
  readonly statement: string;
  readonly language: string;
  /** `deniedAt` or `confirmedAt`: when the company said it. */
  readonly at: IsoDateTime;
  readonly claimIds: readonly string[];
  readonly reportedIn?: string;
}

export const initialStoryState: StoryState = { status: 'empty' };

/** The first statement of a claim in a language, falling back to its first wording. */
export function claimStatementIn(claim: ClaimState, language: string): string {
  const lower = language.toLowerCase();
  return claim.statements.find((s) => s.language.toLowerCase() === lower)?.statement ?? claim.statement;
}
