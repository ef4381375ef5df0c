import type { IsoDateTime } from './story.events';
import type { ClaimState, OpenStory, Stance } from './story.state';

/** DESIGN.md's derived claim statuses; never posted. */
export const CLAIM_STATUSES = ['reported', 'disputed', 'denied', 'confirmed', 'contested', 'retracted'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** One company's response to the claim, as the status needs it. */
export interface ClaimResponse {
  readonly companyId: string;
  readonly stance: Stance;
  /** When the company said it (`deniedAt` / `confirmedAt`). */
  readonly at: IsoDateTime;
}

export interface ClaimStatusInput {
  /** The claim's subject entities. */
  readonly about: readonly string[];
  /** True while at least one report carrying the claim is not retracted. */
  readonly live: boolean;
  /** The responses naming this claim, in recording order. */
  readonly responses: readonly ClaimResponse[];
}

/**
 * The status of a claim (DESIGN.md), from the least the projections also hold:
 * - `retracted`: every report carrying it was retracted. This wins over any
 *   response: a claim no live report makes is no longer news, whoever denied it.
 * - otherwise, from each subject company's CURRENT stance: `reported` (no
 *   stance yet), `denied` (every subject denies, none confirms), `disputed`
 *   (some subjects deny, not all, none confirms), `confirmed` (some confirm,
 *   none denies), `contested` (some confirm, some deny).
 *
 * A company's current stance is its latest response by world time (ties and
 * unreadable times: the later recorded). Newsroom reason: a company that
 * denied talks in March and announced the deal in June now confirms the claim;
 * showing that as "contested" would misreport it. Both responses stay in the
 * read model's denials and confirmations.
 */
export function deriveClaimStatus(input: ClaimStatusInput): ClaimStatus {
  if (!input.live) return 'retracted';
  let denying = 0;
  let confirming = 0;
  for (const { stance } of currentStances(input)) {
    if (stance === 'denied') denying += 1;
    else if (stance === 'confirmed') confirming += 1;
  }
  if (confirming > 0) return denying > 0 ? 'contested' : 'confirmed';
  if (denying === 0) return 'reported';
  return denying === new Set(input.about).size ? 'denied' : 'disputed';
}

/** A subject's current stance on a claim; `none` before it responds. */
export interface SubjectStance {
  readonly companyId: string;
  readonly stance: Stance | 'none';
  /** The world time of the response that set it; null for `none`. */
  readonly at: IsoDateTime | null;
}

/**
 * Each distinct subject of the claim, in `about` order, with its current stance:
 * its latest response by world time (ties and unreadable times: the later
 * recorded). What deriveClaimStatus counts, and what a reader is shown beside
 * the full list of responses.
 */
export function currentStances(input: Pick<ClaimStatusInput, 'about' | 'responses'>): SubjectStance[] {
  const latest = new Map<string, { response: ClaimResponse; time: number }>();
  for (const response of input.responses) {
    if (!input.about.includes(response.companyId)) continue;
    const time = Date.parse(response.at);
    const known = latest.get(response.companyId);
    if (known && !Number.isNaN(time) && !Number.isNaN(known.time) && time < known.time) continue;
    latest.set(response.companyId, { response, time });
  }
  return [...new Set(input.about)].map((companyId) => {
    const known = latest.get(companyId)?.response;
    return known === undefined ? { companyId, stance: 'none', at: null } : { companyId, stance: known.stance, at: known.at };
  });
}

/** The input to deriveClaimStatus for a claim of the story state. */
export function claimStatusInput(story: OpenStory, claim: ClaimState): ClaimStatusInput {
  return {
    about: claim.about,
    live: claim.reportIds.some((reportId) => !story.reports.get(reportId)?.retracted),
    responses: story.responses.filter((r) => r.claimIds.includes(claim.claimId)).map(({ companyId, stance, at }) => ({ companyId, stance, at })),
  };
}

/** The status of one claim of the story, or undefined when the story has no such claim. */
export function claimStatusOf(story: OpenStory, claimId: string): ClaimStatus | undefined {
  const claim = story.claims.get(claimId);
  return claim && deriveClaimStatus(claimStatusInput(story, claim));
}
