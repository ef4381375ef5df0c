import type { ClaimReadModel, StoryReadModel, TimelineEntry } from '../api/read-shapes';

export interface SubjectResponse {
  readonly stance: 'denied' | 'confirmed';
  readonly statement: string;
  readonly language: string;
  /** When the company said it (world time). */
  readonly at: string;
  /** When the desk recorded it, from the timeline (undefined when the timeline has no such event). */
  readonly recordedAt: string | undefined;
}

export interface SubjectStance {
  readonly companyId: string;
  readonly companyName: string;
  /** The latest response by world time, as DESIGN.md derives the claim's status; null: no response yet. */
  readonly stance: 'denied' | 'confirmed' | null;
  readonly responses: readonly SubjectResponse[];
}

/** Each subject company of a claim with its current stance and every response to the claim, oldest first. */
export function subjectStances(story: StoryReadModel, claim: ClaimReadModel, timeline: readonly TimelineEntry[]): readonly SubjectStance[] {
  return claim.about.map((companyId) => {
    const company = story.companies.find((candidate) => candidate.companyId === companyId);
    const responses = (company?.responses ?? [])
      .filter((response) => response.claimIds.includes(claim.claimId))
      .map((response) => ({
        stance: response.stance,
        statement: response.statement,
        language: response.language,
        at: response.at,
        recordedAt: timeline.find(
          (entry) =>
            entry.subject === companyId &&
            entry.happenedAt === response.at &&
            entry.type === (response.stance === 'denied' ? 'CompanyDenied' : 'CompanyConfirmed'),
        )?.recordedAt,
      }))
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    return { companyId, companyName: company?.companyName ?? companyId, stance: responses.at(-1)?.stance ?? null, responses };
  });
}
