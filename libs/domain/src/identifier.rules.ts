import { MAX_IDENTIFIER_LENGTH } from './limits.constants';

/**
 * Identifiers (storyId, reportId, claimId, sourceId, companyId, entity ids) are
 * short slugs: ASCII letters, digits, `-`, `_`, `.`; 1 to 128 characters (DESIGN.md).
 * They travel in URLs and stream names, so nothing needs escaping. Dots alone (`.`,
 * `..`) are refused: URLs treat them as path segments (RFC 3986 §5.2.4), so browsers
 * and HTTP clients resolve them away and no one could read such a story back.
 */
export const IDENTIFIER_PATTERN = /^(?!\.+$)[A-Za-z0-9._-]{1,128}$/;

/** The rule in words, for error messages. */
export const IDENTIFIER_RULE = 'a slug: letters, digits, "-", "_", "." (1 to 128), not dots alone';

export function isIdentifier(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_IDENTIFIER_LENGTH && IDENTIFIER_PATTERN.test(value);
}
