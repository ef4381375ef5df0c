/**
 * RFC 9457 (formerly 7807) Problem Details: the one body of every error the api
 * answers. `code` is our stable extension: tools branch on it, never on `title`.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemDetails {
  /** A URI naming the kind of problem: `urn:newsroom-ledger:problem:<code>`. */
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  /** The request path the problem occurred on. */
  readonly instance?: string;
  readonly [extension: string]: unknown;
}

export function problemType(code: string): string {
  return `urn:newsroom-ledger:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

export function problem(status: number, code: string, title: string, detail?: string, extensions: Readonly<Record<string, unknown>> = {}): ProblemDetails {
  return {
    type: problemType(code),
    title,
    status,
    code,
    ...(detail === undefined ? {} : { detail }),
    ...extensions,
  };
}

/**
 * An error the app itself answers with a ready problem (auth, headers, idempotency).
 * Apps may throw it; libs throw their own typed errors, mapped in the filter.
 */
export class ProblemException extends Error {
  constructor(
    readonly problem: ProblemDetails,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(problem.detail ?? problem.title);
    this.name = 'ProblemException';
  }
}
