import type {
  ClaimState,
  ClaimStatement,
  CompanyResponse,
  OpenStory,
  ReportCorrection,
  ReportState,
  SourceState,
  StoryEvent,
} from '@newsroom/domain';

// The domain's story state with its collections writable: what the views fold in place.
type Writable<T> = { -readonly [K in keyof T]: T[K] };
export type FoldedReport = Omit<Writable<ReportState>, 'corrections'> & { corrections: ReportCorrection[] };
export type FoldedClaim = Omit<Writable<ClaimState>, 'statements' | 'reportIds' | 'sourceIds'> & {
  statements: ClaimStatement[];
  reportIds: string[];
  sourceIds: string[];
};

/**
 * The domain's OpenStory, built and updated IN PLACE. The domain's evolve
 * copies what changes on every event, which is what the rules need (a state
 * is safe to keep) and what a million-event replay cannot afford. This fold
 * gives the same state, field for field (a unit test folds a generated log
 * both ways and compares), so the domain's claim status applies to it as is.
 */
export interface FoldedStory extends OpenStory {
  readonly reports: Map<string, FoldedReport>;
  readonly claims: Map<string, FoldedClaim>;
  readonly sources: Map<string, SourceState>;
  readonly responses: CompanyResponse[];
  readonly languages: string[];
}

export function emptyFoldedStory(): FoldedStory {
  return { status: 'open', reports: new Map(), claims: new Map(), sources: new Map(), responses: [], languages: [] };
}

/** Folds one event into the story, in place. Total like the domain's evolve: what names nothing known changes nothing. */
export function foldInPlace(story: FoldedStory, event: StoryEvent): void {
  switch (event.type) {
    case 'ReportPublished': {
      const { data } = event;
      const report: FoldedReport = {
        reportId: data.reportId,
        outlet: data.outlet,
        headline: data.headline,
        ...(data.url !== undefined && { url: data.url }),
        language: data.language,
        publishedAt: data.publishedAt,
        ...(data.followsReportId !== undefined && { followsReportId: data.followsReportId }),
        claimIds: data.claims.map((c) => c.claimId),
        corrections: [],
      };
      story.reports.set(data.reportId, report);
      for (const carried of data.claims) {
        const wording: ClaimStatement = { reportId: data.reportId, language: data.language, statement: carried.statement };
        const known = story.claims.get(carried.claimId);
        if (known) {
          known.statements.push(wording);
          known.reportIds.push(data.reportId);
        } else {
          story.claims.set(carried.claimId, {
            claimId: carried.claimId,
            about: carried.about,
            statement: carried.statement,
            language: data.language,
            statements: [wording],
            reportIds: [data.reportId],
            sourceIds: [],
          });
        }
      }
      if (!story.languages.includes(data.language)) story.languages.push(data.language);
      return;
    }
    case 'SourceCited': {
      const { data } = event;
      for (const claimId of data.supports) story.claims.get(claimId)?.sourceIds.push(data.sourceId);
      story.sources.set(data.sourceId, {
        sourceId: data.sourceId,
        reportId: data.reportId,
        kind: data.kind,
        description: data.description,
        count: data.count ?? 1,
        supports: data.supports,
      });
      return;
    }
    case 'CompanyDenied':
    case 'CompanyConfirmed': {
      const { data } = event;
      const denied = event.type === 'CompanyDenied';
      story.responses.push({
        stance: denied ? 'denied' : 'confirmed',
        companyId: data.companyId,
        companyName: data.companyName,
        statement: data.statement,
        language: data.language,
        at: event.type === 'CompanyDenied' ? event.data.deniedAt : event.data.confirmedAt,
        claimIds: event.type === 'CompanyDenied' ? event.data.refutes : event.data.confirms,
        ...(data.reportedIn !== undefined && { reportedIn: data.reportedIn }),
      });
      return;
    }
    case 'ReportCorrected': {
      const { correction, correctedAt } = event.data;
      story.reports.get(event.data.reportId)?.corrections.push({ correction, correctedAt });
      return;
    }
    case 'ReportRetracted': {
      const report = story.reports.get(event.data.reportId);
      if (report) report.retracted = { reason: event.data.reason, retractedAt: event.data.retractedAt };
      return;
    }
    default: {
      // A new event type without a branch fails to compile; at run time an unknown type changes nothing.
      const _unhandled: never = event;
    }
  }
}
