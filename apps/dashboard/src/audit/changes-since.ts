import type { StoryReadModel } from '../api/read-shapes';

export interface ChangesSince {
  /** Keys `claim:<id>` and `report:<id>` of what the story as of then shows differently now. */
  readonly keys: ReadonlySet<string>;
  /** The same, in words, for the list beside the story. */
  readonly lines: readonly string[];
}

/** What changed between the story as it was known then and as it is known now. */
export function changesSince(then: StoryReadModel, now: StoryReadModel): ChangesSince {
  const keys = new Set<string>();
  const lines: string[] = [];
  for (const claim of now.claims) {
    const before = then.claims.find((candidate) => candidate.claimId === claim.claimId);
    if (before === undefined) {
      keys.add(`claim:${claim.claimId}`);
      lines.push(`claim ${claim.claimId} recorded since (now ${claim.status})`);
    } else if (before.status !== claim.status || before.denials.length !== claim.denials.length || before.confirmations.length !== claim.confirmations.length) {
      keys.add(`claim:${claim.claimId}`);
      lines.push(
        `claim ${claim.claimId}: ${before.status} then, ${claim.status} now` +
          ` (${claim.denials.length - before.denials.length} more denials, ${claim.confirmations.length - before.confirmations.length} more confirmations)`,
      );
    }
  }
  for (const report of now.reports) {
    const before = then.reports.find((candidate) => candidate.reportId === report.reportId);
    if (before === undefined) {
      lines.push(`report ${report.reportId} (${report.outlet}, ${report.language}) recorded since`);
    } else if (before.status !== report.status) {
      keys.add(`report:${report.reportId}`);
      lines.push(`report ${report.reportId}: ${before.status} then, ${report.status} now`);
    }
  }
  if (now.revision > then.revision) lines.push(`${now.revision - then.revision} events recorded since (revision ${then.revision} then, ${now.revision} now)`);
  return { keys, lines };
}
