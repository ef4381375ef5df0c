import { createHash } from 'node:crypto';

export const ROLES = ['writer', 'reader', 'auditor', 'metrics'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** Stamped as `recordedBy`: a digest prefix of the token, never the token itself. */
  readonly name: string;
  readonly roles: ReadonlySet<Role>;
}

/**
 * Well-known tokens for a development machine, used only when NEWSROOM_TOKENS is
 * unset (with a warning at start). Never deploy without NEWSROOM_TOKENS.
 */
export const DEV_TOKENS =
  'dev-writer=writer,dev-reader=reader,dev-auditor=auditor,dev-metrics=metrics,dev-newsroom=writer+reader+auditor+metrics';

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
    readonly entries: readonly { readonly token: string; readonly roles: readonly Role[] }[],
  ) {}

  /** `token=role+role,token=role`; undefined or blank means the development tokens. */
  static parse(spec: string | undefined): AccessTokens {
    const development = spec === undefined || spec.trim() === '';
    const entries: { token: string; roles: Role[] }[] = [];
    const byDigest = new Map<string, Principal>();
    const source = development ? DEV_TOKENS : spec;
    source.split(',').forEach((raw, index) => {
      const entry = raw.trim();
      if (entry === '') return;
      const equals = entry.lastIndexOf('=');
      const token = equals === -1 ? '' : entry.slice(0, equals).trim();
      const roleList = equals === -1 ? '' : entry.slice(equals + 1).trim();
      // The token itself never appears in a message: only the entry's place.
      if (token === '' || roleList === '') {
        throw new AccessTokenConfigError(`NEWSROOM_TOKENS entry ${index + 1} is not token=role+role`);
      }
      if (/\s/.test(token)) throw new AccessTokenConfigError(`NEWSROOM_TOKENS entry ${index + 1}: a token has no spaces`);
      const roles = roleList.split('+').map((role) => role.trim());
      for (const role of roles) {
        if (!(ROLES as readonly string[]).includes(role)) {
          throw new AccessTokenConfigError(`NEWSROOM_TOKENS entry ${index + 1}: unknown role "${role}" (roles: ${ROLES.join(', ')})`);
        }
      }
      const digest = sha256(token);
      if (byDigest.has(digest)) throw new AccessTokenConfigError(`NEWSROOM_TOKENS entry ${index + 1} repeats a token`);
      byDigest.set(digest, { name: `token:${digest.slice(0, 12)}`, roles: new Set(roles as Role[]) });
      entries.push({ token, roles: roles as Role[] });
    });
    if (byDigest.size === 0) throw new AccessTokenConfigError('NEWSROOM_TOKENS holds no token');
    return new AccessTokens(byDigest, development, entries);
  }

  /** The principal of a presented token, or undefined when it is not one of ours. */
  principalOf(token: string): Principal | undefined {
    return this.byDigest.get(sha256(token));
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
