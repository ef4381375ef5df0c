import { createHash } from 'node:crypto';
import { type AccessTokenEntry, parseAccessTokenList, type Role } from '@newsroom/config';

export { ROLES, type Role } from '@newsroom/config';

export interface Principal {
  /** Stamped as `recordedBy`: a digest prefix of the token, never the token itself. */
  readonly name: string;
  readonly roles: ReadonlySet<Role>;
}

/**
 * Well-known tokens for a development machine, used only when NEWSROOM_TOKENS is
 * unset (with a warning at start). Never deploy without NEWSROOM_TOKENS.
 */
export const DEV_TOKENS = 'dev-writer=writer,dev-reader=reader,dev-auditor=auditor,dev-metrics=metrics,dev-newsroom=writer+reader+auditor+metrics';

export class AccessTokenConfigError extends Error {
  override readonly name = 'AccessTokenConfigError';
}

/**
 * Tokens keyed by their SHA-256, so a lookup's timing says nothing about how much of
 * a guessed token matched.
 */
export class AccessTokens {
  private constructor(
    private readonly byDigest: ReadonlyMap<string, Principal>,
    /** True when these are the development tokens. */
    readonly development: boolean,
    /** The entries as configured, for printing the development ones. */
    readonly entries: readonly AccessTokenEntry[],
  ) {}

  /** `token=role+role,token=role` (NEWSROOM_TOKENS' grammar); undefined or blank means the development tokens. */
  static parse(spec: string | undefined): AccessTokens {
    const development = spec === undefined || spec.trim() === '';
    const parsed = parseAccessTokenList(development ? DEV_TOKENS : spec);
    if ('problem' in parsed) throw new AccessTokenConfigError(`NEWSROOM_TOKENS ${parsed.problem}`);
    const byDigest = new Map<string, Principal>();
    for (const { token, roles } of parsed.entries) {
      const digest = sha256(token);
      byDigest.set(digest, { name: `token:${digest.slice(0, 12)}`, roles: new Set(roles) });
    }
    return new AccessTokens(byDigest, development, parsed.entries);
  }

  /** The principal of a presented token, or undefined when it is not one of ours. */
  principalOf(token: string): Principal | undefined {
    return this.byDigest.get(sha256(token));
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
