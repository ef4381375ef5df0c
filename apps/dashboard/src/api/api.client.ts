import type { Problem } from './read-shapes';

/** A refusal from the api, with its Problem Details body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | undefined>;

export interface RequestOptions {
  readonly token: string;
  readonly method?: 'GET' | 'POST';
  readonly query?: Query;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
}

export interface Answer<T> {
  readonly data: T;
  readonly headers: Headers;
  readonly status: number;
}

/** The url of an api path on this origin (the api serves the page), with the query's defined values. */
export function apiUrl(path: string, query: Query = {}): string {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
  return url.toString();
}

/**
 * One call to the api with the bearer token in its header (never in a url). A refusal
 * throws ApiError with the Problem Details body; a network failure throws as fetch does.
 */
export async function apiRequest<T>(path: string, options: RequestOptions): Promise<Answer<T>> {
  const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${options.token}`, ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(apiUrl(path, options.query), {
    method: options.method ?? 'GET',
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    cache: 'no-store',
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const problem: Problem =
      typeof body === 'object' && body !== null
        ? (body as Problem)
        : // Not the api's own answer (a proxy's, say): told as the api would.
          { type: 'about:blank', title: response.statusText, status: response.status, code: 'HTTP_ERROR', detail: text.slice(0, 300) };
    throw new ApiError(response.status, problem);
  }
  return { data: body as T, headers: response.headers, status: response.status };
}

/** What to tell a person about a failed call. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'The api no longer accepts this token: sign out and sign in again.';
    if (error.status === 403) return 'This token lacks the role this needs.';
    return error.message;
  }
  if (error instanceof Error) return `The api could not be reached (${error.message}).`;
  return String(error);
}
