import { problem, ProblemException } from '../errors/problem-details';

/** What an `If-Match` header asks for: a revision, or `*` (the story must exist). */
export type RevisionPrecondition = { readonly revision: number } | { readonly anyRevision: true };

/**
 * `If-Match: 4`, `If-Match: "4"` (our ETag) or `W/"4"`; `*` means "exists". A list of
 * several revisions is refused: the intake appends at one expected revision.
 */
export function parseIfMatch(header: string | undefined): RevisionPrecondition | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '*') return { anyRevision: true };
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(value);
  if (match === null || (value.includes('"') && !/^(?:W\/)?"\d+"$/.test(value))) {
    throw new ProblemException(problem(400, 'INVALID_IF_MATCH', 'Invalid If-Match header', 'If-Match must be one revision: 4, "4" (the ETag of a 201) or *.'));
  }
  return { revision: Number(match[1]) };
}

export function etagOf(revision: number): string {
  return `"${revision}"`;
}
