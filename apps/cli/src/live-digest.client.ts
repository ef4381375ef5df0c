/** What `GET /admin/projections` answers that the verification compares (the rest is ignored). */
export interface LiveDigest {
  /** Commit position the live views reached, as a decimal string ("-1" before any event). */
  readonly position: string;
  readonly digest: string;
  readonly stories: number;
  readonly companies: number;
  readonly events: number;
}

/** The api could not give its digest: unreachable, refused the token, or answered something else. */
export class LiveDigestError extends Error {}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Asks the api for its live views' position and digest (auditor role). The api computes
 * both in one synchronous pass, so the digest is of the views at exactly that position.
 */
export async function fetchLiveDigest(apiUrl: string, token: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<LiveDigest> {
  const url = `${apiUrl.replace(/\/+$/, '')}/admin/projections`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new LiveDigestError(`cannot reach the api at ${apiUrl} (GET ${url}: ${reason})`);
  }
  const text = await response.text();
  if (response.status === 401) {
    throw new LiveDigestError(`the api at ${apiUrl} refused the token in NEWSROOM_TOKEN (401): it needs a valid auditor token`);
  }
  if (response.status === 403) {
    throw new LiveDigestError(`the token in NEWSROOM_TOKEN lacks the auditor role the api at ${apiUrl} asks for (403)`);
  }
  if (!response.ok) {
    throw new LiveDigestError(`GET ${url} answered ${response.status}: ${problemDetail(text)}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new LiveDigestError(`GET ${url} answered something other than JSON: ${text.slice(0, 200)}`);
  }
  return asLiveDigest(body, url);
}

function problemDetail(text: string): string {
  try {
    const problem = JSON.parse(text) as { detail?: unknown; title?: unknown; code?: unknown };
    const parts = [problem.code, problem.detail ?? problem.title].filter((part) => typeof part === 'string');
    if (parts.length > 0) return parts.join(': ');
  } catch {
    // Not a Problem Details body: show its start.
  }
  return text.slice(0, 200);
}

function asLiveDigest(body: unknown, url: string): LiveDigest {
  const answer = (body ?? {}) as Record<string, unknown>;
  const { position, digest } = answer;
  if (typeof position !== 'string' || !/^(-1|\d{1,20})$/.test(position) || typeof digest !== 'string' || !/^[0-9a-f]{64}$/.test(digest)) {
    throw new LiveDigestError(`GET ${url} answered no position and SHA-256 digest: ${JSON.stringify(body).slice(0, 200)}`);
  }
  const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : NaN);
  return { position, digest, stories: count(answer.stories), companies: count(answer.companies), events: count(answer.events) };
}
