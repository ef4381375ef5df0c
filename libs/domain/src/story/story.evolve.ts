import type { StoryEvent } from './story.events';
import type { ClaimState, CompanyResponse, OpenStory, ReportState, StoryState } from './story.state';

const emptyOpenStory: OpenStory = {
  status: 'open',
  reports: new Map(),
  claims: new Map(),
  sources: new Map(),
  responses: [],
  languages: [],
};

function withEntry<V>(map: ReadonlyMap<string, V>, key: string, value: V): ReadonlyMap<string, V> {
  const next = new Map(map);
  next.set(key, value);
  return next;
}

/**
 * Folds one recorded event into the state. Pure and total: it trusts the log
 * (the rules ran before the append) and never throws, so an old stream always
 * replays. An event naming something the state lacks changes nothing of it.
 */
export function evolve(state: StoryState, event: StoryEvent): StoryState {
  const story = state.status === 'open' ? state : emptyOpenStory;
  switch (event.type) {
    case 'ReportPublished': {
      const { data } = event;
      const report: ReportState = {
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
      const claims = new Map(story.claims);
      for (const carried of data.claims) {
        const wording = { reportId: data.reportId, language: data.language, statement: carried.statement };
        const known = claims.get(carried.claimId);
        const claim: ClaimState = known
          ? { ...known, statements: [...known.statements, wording], reportIds: [...known.reportIds, data.reportId] }
          : {
              claimId: carried.claimId,
              about: carried.about,
              statement: carried.statement,
              language: data.language,
              statements: [wording],
              reportIds: [data.reportId],
              sourceIds: [],
            };
        claims.set(carried.claimId, claim);
      }
      return {
        ...story,
        reports: withEntry(story.reports, data.reportId, report),
        claims,
        languages: story.languages.includes(data.language) ? story.languages : [...story.languages, data.language],
      };
    }
    case 'SourceCited': {
      const { data } = event;
      const claims = new Map(story.claims);
      for (const claimId of data.supports) {
        const claim = claims.get(claimId);
        if (claim) claims.set(claimId, { ...claim, sourceIds: [...claim.sourceIds, data.sourceId] });
      }
      return {
        ...story,
        sources: withEntry(story.sources, data.sourceId, {
          sourceId: data.sourceId,
          reportId: data.reportId,
          kind: data.kind,
          description: data.description,
          count: data.count ?? 1,
          supports: data.supports,
        }),
        claims,
      };
    }
    case 'CompanyDenied':
    case 'CompanyConfirmed': {
      const { data } = event;
      const response: CompanyResponse = {
        stance: event.type === 'CompanyDenied' ? 'denied' : 'confirmed',
        companyId: data.companyId,
        companyName: data.companyName,
        statement: data.statement,
        language: data.language,
        at: event.type === 'CompanyDenied' ? event.data.deniedAt : event.data.confirmedAt,
        claimIds: event.type === 'CompanyDenied' ? event.data.refutes : event.data.confirms,
        ...(data.reportedIn !== undefined && { reportedIn: data.reportedIn }),
      };
      return { ...story, responses: [...story.responses, response] };
    }
    case 'ReportCorrected': {
      const report = story.reports.get(event.data.reportId);
      if (!report) return story;
      const { correction, correctedAt } = event.data;
      return {
        ...story,
        reports: withEntry(story.reports, report.reportId, {
          ...report,
          corrections: [...report.corrections, { correction, correctedAt }],
        }),
      };
    }
    case 'ReportRetracted': {
      const report = story.reports.get(event.data.reportId);
      if (!report) return story;
      const { reason, retractedAt } = event.data;
      return {
        ...story,
        reports: withEntry(story.reports, report.reportId, { ...report, retracted: { reason, retractedAt } }),
      };
    }
    default: {
      // A new event type without a branch fails to compile here; at run time an
      // unknown type (a newer writer) leaves the state as it was.
      const _unhandled: never = event;
      return state;
    }
  }
}

/** Folds a whole stream (or its first events: "the story as of revision n"). */
export function foldStory(events: Iterable<StoryEvent>, state: StoryState = { status: 'empty' }): StoryState {
  let folded = state;
  for (const event of events) folded = evolve(folded, event);
  return folded;
}
