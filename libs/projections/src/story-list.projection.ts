import { CLAIM_STATUSES, type ClaimStatus, type IsoDateTime } from '@newsroom/domain';
import type { NewsroomViews } from './newsroom.views';
import { ProjectionQueryError } from './projection.errors';
import type { StoryRecord } from './story-record.fold';

// ---------------------------------------------------------------- Read shape

export interface StoryListFilters {
  /** Stories with at least one claim in this status. */
  readonly status?: ClaimStatus;
  /** Stories where the company is a subject of a claim (`about`) or responded; case-insensitive. */
  readonly company?: string;
  /** Stories with a report by this outlet (its name, case-insensitive). */
  readonly outlet?: string;
  /** Stories with a report in this language (BCP 47, case-insensitive). */
  readonly language?: string;
  /** ISO 8601 time: stories whose last event was recorded at or after it. */
  readonly updatedSince?: IsoDateTime;
}

export interface StorySummary {
  readonly storyId: string;
  readonly revision: number;
  readonly position: string;
  readonly headline: string;
  readonly outlets: readonly string[];
  readonly languages: readonly string[];
  /** Claim subjects and responding companies. */
  readonly companies: readonly string[];
  /** How many of its claims are in each status (statuses with none are left out). */
  readonly claimStatuses: Partial<Record<ClaimStatus, number>>;
  readonly firstRecordedAt: IsoDateTime;
  readonly lastRecordedAt: IsoDateTime;
}

export interface StoryListPage {
  readonly items: readonly StorySummary[];
  /** Pass it back for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/** The largest page listStories serves. */
export const MAX_STORY_LIST_LIMIT = 500;

// ---------------------------------------------------------------- The index

/**
 * The story list: stories in creation order, with inverted indexes on claim
 * status, company, outlet and language, all pointing at the shared story
 * records. A page runs newest story first and its cursor is the creation
 * position of the last story served: a story never moves in this order once
 * created, and new stories only appear before the first page, so paging while
 * stories change skips nothing and repeats nothing.
 */
export interface StoryListIndex {
  /** In creation order, so also in increasing createdPosition; `seq` is the index. */
  readonly entries: StoryRecord[];
  /**
   * Stories with a claim in each status. Brought up to date on read
   * (catchUpStatuses), not on each event: a story's statuses move with most
   * responses, and a replay would otherwise move it between sets of a hundred
   * thousand stories several times over; caught up, it moves once. A status's
   * key appears when the first claim ever reaches it, as it would eagerly.
   */
  readonly byStatus: Map<ClaimStatus, Set<StoryRecord>>;
  /** Stories whose status counts changed since the sets were last brought up to date. */
  readonly statusesPending: StoryRecord[];
  /**
   * Stories by tag, each listed once, in the order they took the tag. A story
   * never loses a tag, so a list (an append) serves where a set would hash
   * every story into a table of up to every story; whether a story has a tag
   * is asked of the story's own short lists. Each is keyed by the tag's folded
   * case (caseKey): the list's filters match without regard to case.
   */
  readonly byCompany: Map<string, StoryRecord[]>;
  readonly byOutlet: Map<string, StoryRecord[]>;
  readonly byLanguage: Map<string, StoryRecord[]>;
  /**
   * Every spelling seen of each key, per kind (`Financial Times` and `FINANCIAL TIMES`
   * under `financial times`): a filter then asks a story's own short list for one of
   * a few interned strings instead of lowercasing each of its tags.
   */
  readonly spellings: Record<TagKind, Map<string, string[]>>;
}

type TagKind = 'outlet' | 'language' | 'company';

export function createStoryListIndex(): StoryListIndex {
  return {
    entries: [],
    byStatus: new Map(),
    statusesPending: [],
    byCompany: new Map(),
    byOutlet: new Map(),
    byLanguage: new Map(),
    spellings: { outlet: new Map(), language: new Map(), company: new Map() },
  };
}

function listUnder(index: Map<string, StoryRecord[]>, key: string, record: StoryRecord): void {
  const list = index.get(key);
  if (list === undefined) index.set(key, [record]);
  else list.push(record);
}

/**
 * The one case rule of the list's filters: company, outlet and language match
 * without regard to case (a desk types `financial times`, `ACME` or `ID`).
 * BCP 47 says so of language tags; for outlet names and company ids it is what
 * an editor expects. Unicode lowercase, independent of any locale.
 */
export function caseKey(value: string): string {
  return value.toLowerCase();
}

const TAG_INDEXES = { outlet: 'byOutlet', language: 'byLanguage', company: 'byCompany' } as const;
const STORY_TAGS = { outlet: 'outlets', language: 'languages', company: 'companies' } as const;

/**
 * The fold found a new outlet, language or company in the story (a value not
 * yet in the story's own list, which already holds it).
 */
export function indexTag(index: StoryListIndex, record: StoryRecord, kind: TagKind, value: string): void {
  const key = caseKey(value);
  const spellings = index.spellings[kind].get(key);
  if (spellings === undefined) index.spellings[kind].set(key, [value]);
  else if (!spellings.includes(value)) spellings.push(value);
  // Listed once per key: `en` after `EN`, or `acme` after `ACME`, is the same tag.
  if (spellings !== undefined && spellings.length > 1) {
    for (const tag of record[STORY_TAGS[kind]]) if (tag !== value && spellings.includes(tag)) return;
  }
  listUnder(index[TAG_INDEXES[kind]], key, record);
}

/** Whether one of the story's tags is a spelling of the filter's key. */
function hasTag(tags: readonly string[], spellings: readonly string[]): boolean {
  for (const tag of tags) if (spellings.includes(tag)) return true;
  return false;
}

/** The story now has `count` claims in the status: it is to be in the status's set while that is above 0. */
export function indexStatusCount(index: StoryListIndex, record: StoryRecord, status: ClaimStatus, count: number): void {
  if (count === 1 && !index.byStatus.has(status)) index.byStatus.set(status, new Set());
  if (!record.statusesPending) {
    record.statusesPending = true;
    index.statusesPending.push(record);
  }
}

/** Moves each story whose status counts changed into the sets of the statuses it now has, and out of the others. */
export function catchUpStatuses(index: StoryListIndex): void {
  const pending = index.statusesPending;
  for (const record of pending) {
    record.statusesPending = false;
    let now = 0;
    for (let i = 0; i < CLAIM_STATUSES.length; i += 1) if (record.statusCounts[CLAIM_STATUSES[i]] > 0) now |= 1 << i;
    const moved = now ^ record.listedStatuses;
    if (moved === 0) continue;
    for (let i = 0; i < CLAIM_STATUSES.length; i += 1) {
      if ((moved & (1 << i)) === 0) continue;
      const set = index.byStatus.get(CLAIM_STATUSES[i])!;
      if (now & (1 << i)) set.add(record);
      else set.delete(record);
    }
    record.listedStatuses = now;
  }
  pending.length = 0;
}

/**
 * toISOString's form (`2025-01-08T09:00:00.000Z`) orders as a string does.
 * The event-store adapter stamps recordedAt in that form; anything else is
 * normalised on comparison (an unreadable time sorts before every real one).
 */
function timeKey(iso: string): string {
  if (iso.length === 24 && iso.charCodeAt(23) === 90 /* Z */ && iso.charCodeAt(10) === 84 /* T */) return iso;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString();
}

// ---------------------------------------------------------------- Reads

function headlineOf(record: StoryRecord): string {
  const first = record.reports.values().next();
  return first.done ? '' : first.value.headline;
}

export function toStorySummary(record: StoryRecord): StorySummary {
  const claimStatuses: Partial<Record<ClaimStatus, number>> = {};
  for (const status of CLAIM_STATUSES) {
    if (record.statusCounts[status] > 0) claimStatuses[status] = record.statusCounts[status];
  }
  return {
    storyId: record.storyId,
    revision: record.revision,
    position: record.position.toString(),
    headline: headlineOf(record),
    outlets: [...record.outlets],
    languages: [...record.languages],
    companies: [...record.companies],
    claimStatuses,
    firstRecordedAt: record.firstRecordedAt,
    lastRecordedAt: record.lastRecordedAt,
  };
}

export function getStorySummary(views: NewsroomViews, storyId: string): StorySummary | undefined {
  const record = views.stories.get(storyId);
  return record && toStorySummary(record);
}

const CURSOR_PATTERN = /^\d{1,20}$/;

/** The cursor is the creation position of the last story served, as a decimal string; clients treat it as opaque. */
function parseCursor(cursor: string): bigint {
  if (!CURSOR_PATTERN.test(cursor)) throw new ProjectionQueryError('INVALID_CURSOR', 'cursor', 'cursor is not one this service issued');
  return BigInt(cursor);
}

/** The index of the first story created at or after the position (entries are in increasing createdPosition). */
function firstCreatedAtOrAfter(entries: readonly StoryRecord[], position: bigint): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (entries[middle].createdPosition < position) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * One page of stories matching every given filter, newest story first.
 * Cost: when one filter's set is small, its members are sorted; otherwise
 * the creation order is scanned from the cursor down until the page is full.
 */
export function listStories(views: NewsroomViews, filters: StoryListFilters = {}, cursor?: string | null, limit = 50): StoryListPage {
  const index = views.list;
  catchUpStatuses(index);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_STORY_LIST_LIMIT) {
    throw new ProjectionQueryError('INVALID_FILTER', 'limit', `limit must be an integer from 1 to ${MAX_STORY_LIST_LIMIT}`);
  }
  if (filters.status !== undefined && !(CLAIM_STATUSES as readonly string[]).includes(filters.status)) {
    throw new ProjectionQueryError('INVALID_FILTER', 'status', `status must be one of ${CLAIM_STATUSES.join(', ')}`);
  }
  const since = filters.updatedSince === undefined ? undefined : timeKey(filters.updatedSince);
  if (since === '') throw new ProjectionQueryError('INVALID_FILTER', 'updatedSince', 'updatedSince is not an ISO 8601 time');
  const end = cursor === undefined || cursor === null ? index.entries.length : firstCreatedAtOrAfter(index.entries, parseCursor(cursor));

  // Each filter lists the stories that pass it; the fewest are the ones to start from.
  const candidates: Iterable<StoryRecord>[] = [];
  const sizes: number[] = [];
  const take = (listed: Set<StoryRecord> | StoryRecord[] | undefined): boolean => {
    const size = listed === undefined ? 0 : listed instanceof Set ? listed.size : listed.length;
    if (listed === undefined || size === 0) return false;
    candidates.push(listed);
    sizes.push(size);
    return true;
  };
  const { status } = filters;
  const company = filters.company === undefined ? undefined : caseKey(filters.company);
  const outlet = filters.outlet === undefined ? undefined : caseKey(filters.outlet);
  const language = filters.language === undefined ? undefined : caseKey(filters.language);
  const companySpellings = company === undefined ? [] : (index.spellings.company.get(company) ?? []);
  const outletSpellings = outlet === undefined ? [] : (index.spellings.outlet.get(outlet) ?? []);
  const languageSpellings = language === undefined ? [] : (index.spellings.language.get(language) ?? []);
  const withStatus = status === undefined ? undefined : index.byStatus.get(status);
  if (status !== undefined && !take(withStatus)) return { items: [], nextCursor: null };
  if (company !== undefined && !take(index.byCompany.get(company))) return { items: [], nextCursor: null };
  if (outlet !== undefined && !take(index.byOutlet.get(outlet))) return { items: [], nextCursor: null };
  if (language !== undefined && !take(index.byLanguage.get(language))) return { items: [], nextCursor: null };
  // Whether a story passes every filter: the status from its (caught-up) set, tags from the story's own short lists.
  const matches = (record: StoryRecord): boolean =>
    (since === undefined || timeKey(record.lastRecordedAt) >= since) &&
    (withStatus === undefined || withStatus.has(record)) &&
    (company === undefined || hasTag(record.companies, companySpellings)) &&
    (outlet === undefined || hasTag(record.outlets, outletSpellings)) &&
    (language === undefined || hasTag(record.languages, languageSpellings));

  const found: StoryRecord[] = [];
  let smallest = -1;
  for (let i = 0; i < sizes.length; i += 1) if (smallest < 0 || sizes[i] < sizes[smallest]) smallest = i;
  // A scan finds a page after about (limit + 1) * end / k stories when k of the end match;
  // sorting the k candidates costs about k. Sort when k is below the geometric mean.
  if (smallest >= 0 && sizes[smallest] * sizes[smallest] < (limit + 1) * end) {
    for (const record of candidates[smallest]) if (record.seq < end && matches(record)) found.push(record);
    found.sort((a, b) => b.seq - a.seq);
    found.length = Math.min(found.length, limit + 1);
  } else {
    for (let i = end - 1; i >= 0 && found.length <= limit; i -= 1) {
      if (matches(index.entries[i])) found.push(index.entries[i]);
    }
  }
  const more = found.length > limit;
  const page = more ? found.slice(0, limit) : found;
  return {
    items: page.map(toStorySummary),
    nextCursor: more ? page[page.length - 1].createdPosition.toString() : null,
  };
}
