/** A budget: at most `max` requests per token in each window of `windowMs`. */
export interface RateLimit {
  readonly max: number;
  readonly windowMs: number;
}

/** The two budgets of every token; a budget left out (or false) is not limited. */
export interface RateLimits {
  /** Every method but GET and HEAD: the posts. */
  readonly writes?: RateLimit | false;
  /** GET and HEAD: the reads, and each /stream connection as it opens. */
  readonly reads?: RateLimit | false;
}

/**
 * With NEWSROOM_TOKENS set (a deployment), a runaway tool or page must not be able to
 * take the api from everyone else: about 10 posts and 50 reads a second per token, far
 * above what a newsroom's tools and desks send, far below what the intake can take.
 */
export const DEPLOYED_RATE_LIMITS: { readonly writes: RateLimit; readonly reads: RateLimit } = {
  writes: { max: 600, windowMs: 60_000 },
  reads: { max: 3000, windowMs: 60_000 },
};

export class RateLimitConfigError extends Error {
  override readonly name = 'RateLimitConfigError';
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

/** `N` (a minute), `N/s`, `N/m`, `N/h` or `N/<k>s|m|h` (`50/10s`); `off`. */
const SPEC = /^(\d{1,9})(?:\s*\/\s*(\d{1,6})?\s*([smh]))?$/;

/**
 * One budget variable (NEWSROOM_RATE_LIMIT_WRITES, NEWSROOM_RATE_LIMIT_READS): undefined
 * when unset or blank (the caller's default applies), false for `off`.
 */
export function parseRateLimit(name: string, spec: string | undefined): RateLimit | false | undefined {
  const text = spec?.trim() ?? '';
  if (text === '') return undefined;
  if (text.toLowerCase() === 'off') return false;
  const match = SPEC.exec(text);
  const max = Number(match?.[1]);
  const windows = Number(match?.[2] ?? 1);
  if (match === null || max < 1 || windows < 1) {
    throw new RateLimitConfigError(
      `${name} must be requests per token and window: N (per minute), N/s, N/m, N/h or N/10s, N at least 1; or off. Got "${text.slice(0, 40)}"`,
    );
  }
  return { max, windowMs: windows * UNIT_MS[(match[3] ?? 'm') as keyof typeof UNIT_MS] };
}

/**
 * The budgets the api runs with: what the variables say, else none with the development
 * tokens (NEWSROOM_TOKENS unset) and DEPLOYED_RATE_LIMITS with real ones.
 */
export function rateLimitsFor(specs: { readonly writes: string | undefined; readonly reads: string | undefined }, developmentTokens: boolean): RateLimits {
  const fallback: RateLimits = developmentTokens ? {} : DEPLOYED_RATE_LIMITS;
  const writes = parseRateLimit('NEWSROOM_RATE_LIMIT_WRITES', specs.writes);
  const reads = parseRateLimit('NEWSROOM_RATE_LIMIT_READS', specs.reads);
  return {
    writes: writes ?? fallback.writes ?? false,
    reads: reads ?? fallback.reads ?? false,
  };
}

/** `minute`, `10 s`: for messages (`600 posts per minute`). */
export function windowName(windowMs: number): string {
  if (windowMs === 1000) return 'second';
  if (windowMs === 60_000) return 'minute';
  if (windowMs === 3_600_000) return 'hour';
  return `${windowMs / 1000} s`;
}

/** `writes 600 per minute, reads off`: for the start-up log. */
export function describeRateLimits(limits: RateLimits): string {
  const one = (limit: RateLimit | false | undefined) => (limit ? `${limit.max} per ${windowName(limit.windowMs)}` : 'off');
  return `writes ${one(limits.writes)}, reads ${one(limits.reads)}`;
}
