/** The roles a token may carry in NEWSROOM_TOKENS. */
export const ROLES = ['writer', 'reader', 'auditor', 'metrics'] as const;
export type Role = (typeof ROLES)[number];

export interface AccessTokenEntry {
  readonly token: string;
  readonly roles: readonly Role[];
}

export const ACCESS_TOKEN_LIST_ACCEPTS = `token=role+role entries separated by commas (roles: ${ROLES.join(', ')})`;

/**
 * NEWSROOM_TOKENS' grammar, `token=role+role,token=role`: the entries, or what is wrong.
 * A token may itself hold "=" (base64 padding), so the roles follow the last one. A problem
 * names the entry by its place, never by its token.
 */
export function parseAccessTokenList(spec: string): { readonly entries: readonly AccessTokenEntry[] } | { readonly problem: string } {
  const entries: AccessTokenEntry[] = [];
  const seen = new Set<string>();
  const parts = spec.split(',');
  for (const [index, raw] of parts.entries()) {
    const entry = raw.trim();
    if (entry === '') continue;
    const place = `entry ${index + 1}`;
    const equals = entry.lastIndexOf('=');
    const token = equals === -1 ? '' : entry.slice(0, equals).trim();
    const roleList = equals === -1 ? '' : entry.slice(equals + 1).trim();
    if (token === '' || roleList === '') return { problem: `${place} is not token=role+role` };
    if (/\s/.test(token)) return { problem: `${place}: a token has no spaces` };
    const roles = roleList.split('+').map((role) => role.trim());
    const unknown = roles.find((role) => !(ROLES as readonly string[]).includes(role));
    if (unknown !== undefined) return { problem: `${place}: unknown role "${unknown.slice(0, 40)}"` };
    if (seen.has(token)) return { problem: `${place} repeats a token` };
    seen.add(token);
    entries.push({ token, roles: roles as Role[] });
  }
  if (entries.length === 0) return { problem: 'holds no token' };
  return { entries };
}
