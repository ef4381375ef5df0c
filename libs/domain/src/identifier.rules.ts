import { MAX_IDENTIFIER_LENGTH } from './limits.constants';

/**
 * Identifiers (storyId, reportId, claimId, sourceId, companyId, entity ids) are
 * short slugs: ASCII letters, digits, `-`, `_`, `.`; 1 to 128 characters (DESIGN.md).
 * They travel in URLs and stream names, so nothing needs escaping.
 */
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

export function isIdentifier(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_IDENTIFIER_LENGTH && IDENTIFIER_PATTERN.test(value);
}
