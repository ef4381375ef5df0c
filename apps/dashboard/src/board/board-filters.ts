import { CLAIM_STATUSES, type ClaimStatus, type StorySummary } from '../api/read-shapes';

/** The board's filters as the api's GET /stories takes them, kept in the url's hash query. */
export interface BoardFilters {
  readonly status?: ClaimStatus;
  readonly company?: string;
  readonly outlet?: string;
  readonly language?: string;
  readonly updatedSince?: string;
}

export const FILTER_NAMES = ['status', 'company', 'outlet', 'language', 'updatedSince'] as const;

export function filtersFromSearch(search: string): BoardFilters {
  const params = new URLSearchParams(search);
  const text = (name: string): string | undefined => {
    const value = params.get(name)?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const status = text('status');
  return {
    ...((CLAIM_STATUSES as readonly string[]).includes(status ?? '') ? { status: status as ClaimStatus } : {}),
    ...optional('company', text('company')),
    ...optional('outlet', text('outlet')),
    ...optional('language', text('language')),
    ...optional('updatedSince', text('updatedSince')),
  };
}

export function searchFromFilters(filters: BoardFilters): string {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value !== undefined && value !== '') params.set(name, value);
  }
  return params.toString();
}

function optional<K extends string>(name: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [name]: value } as Record<K, string>);
}

/**
 * Whether a story a live change brought still belongs on the board: the same test the
 * api's list applies (a story with at least one claim in the status; exact company and
 * outlet, language in any case; changed at or after updatedSince).
 */
export function matchesFilters(story: StorySummary, filters: BoardFilters): boolean {
  if (filters.status !== undefined && (story.claimStatuses[filters.status] ?? 0) === 0) return false;
  if (filters.company !== undefined && !story.companies.includes(filters.company)) return false;
  if (filters.outlet !== undefined && !story.outlets.includes(filters.outlet)) return false;
  if (filters.language !== undefined && !story.languages.some((language) => language.toLowerCase() === filters.language!.toLowerCase())) return false;
  if (filters.updatedSince !== undefined && Date.parse(story.lastRecordedAt) < Date.parse(filters.updatedSince)) return false;
  return true;
}

/**
 * The board's rows after a live change: an updated story replaced in place (or dropped when
 * it no longer matches); a story new to the board placed by when it was first recorded,
 * newest first, unless it falls beyond the rows loaded so far.
 */
export function applyChange(rows: readonly StorySummary[], story: StorySummary, filters: BoardFilters, morePages: boolean): readonly StorySummary[] {
  const at = rows.findIndex((row) => row.storyId === story.storyId);
  if (at !== -1) {
    if (rows[at]!.revision >= story.revision) return rows;
    if (!matchesFilters(story, filters)) return rows.filter((_, index) => index !== at);
    return rows.map((row, index) => (index === at ? story : row));
  }
  if (!matchesFilters(story, filters)) return rows;
  const created = Date.parse(story.firstRecordedAt);
  const place = rows.findIndex((row) => Date.parse(row.firstRecordedAt) < created);
  if (place === -1) return morePages ? rows : [...rows, story];
  return [...rows.slice(0, place), story, ...rows.slice(place)];
}
