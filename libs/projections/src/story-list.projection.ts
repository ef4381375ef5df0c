import { CLAIM_STATUSES, deriveClaimStatus, type ClaimResponse, type ClaimStatus, type IsoDateTime } from '@newsroom/domain';
import { ProjectionQueryError } from './projection.errors';
import { advanceWatermark, initialWatermark, isApplied, type ViewEvent, type Watermark } from './view-event';

// ---------------------------------------------------------------- Read shape

export interface StoryListFilters {
  /** Stories with at least one claim in this status. */
  readonly status?: ClaimStatus;
  /** Stories where the company is a subject of a claim (`about`) or responded. */
  readonly company?: string;
  /** Stories with a report by this outlet (its exact name). */
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

// ---------------------------------------------------------------- Index entries

/** What a claim's status needs (the domain's ClaimStatusInput), kept up to date. */
interface IndexedClaim {
  readonly about: readonly string[];
  readonly reportIds: string[];
  responses: ClaimResponse[] | null;
  status: ClaimStatus;
}

type StatusCounts = Record<ClaimStatus, number>;

export interface StoryListEntry {
  readonly storyId: string;
  /** Its place in creation order (the index of `entries`). */
  readonly seq: number;
  /** Commit position of the story's first event: the ordering and cursor key. */
  readonly createdPosition: bigint;
  headline: string;
  revision: bigint;
  position: bigint;
  readonly firstRecordedAt: IsoDateTime;
  lastRecordedAt: IsoDateTime;
  /** lastRecordedAt in the canonical form of toISOString, so times compare as strings. */
  lastRecordedKey: string;
  reportCount: number;
  /** Retracted reportIds (null while there are none, as in most stories). */
  retracted: string[] | null;
  readonly claims: Map<string, IndexedClaim>;
  readonly statusCounts: StatusCounts;
  readonly outlets: string[];
  readonly languages: string[];
  readonly companies: string[];
}

/**
 * The story list: stories in creation order, with inverted indexes on claim
 * status, company, outlet and language. A page runs newest story first and
 * its cursor is the creation position of the last story served: a story never
 * moves in this order once created, and new stories only appear before the
 * first page, so paging while stories change skips nothing and repeats nothing.
 */
export interface StoryListIndex {
  readonly applied: Watermark;
  /** In creation order, so also in increasing createdPosition. */
  readonly entries: StoryListEntry[];
  readonly byId: Map<string, StoryListEntry>;
  readonly byStatus: Map<ClaimStatus, Set<StoryListEntry>>;
  readonly byCompany: Map<string, Set<StoryListEntry>>;
  readonly byOutlet: Map<string, Set<StoryListEntry>>;
  /** Keyed by the lowercased tag: BCP 47 tags are case-insensitive. */
  readonly byLanguage: Map<string, Set<StoryListEntry>>;
}

export function createStoryListIndex(): StoryListIndex {
  return {
    applied: initialWatermark(),
    entries: [],
    byId: new Map(),
    byStatus: new Map(),
    byCompany: new Map(),
    byOutlet: new Map(),
    byLanguage: new Map(),
  };
}

function addTo(index: Map<string, Set<StoryListEntry>>, key: string, entry: StoryListEntry): void {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(entry);
}

function addTag(list: string[], value: string, index: Map<string, Set<StoryListEntry>>, key: string, entry: StoryListEntry): void {
  if (list.includes(value)) return;
  list.push(value);
  addTo(index, key, entry);
}

function countStatus(index: StoryListIndex, entry: StoryListEntry, status: ClaimStatus, delta: 1 | -1): void {
  const count = (entry.statusCounts[status] += delta);
  if (delta === 1 && count === 1) addTo(index.byStatus, status, entry);
  else if (delta === -1 && count === 0) index.byStatus.get(status)?.delete(entry);
}

const NO_RESPONSES: readonly ClaimResponse[] = [];

function isLive(entry: StoryListEntry, claim: IndexedClaim): boolean {
  const { retracted } = entry;
  return retracted === null || claim.reportIds.some((reportId) => !retracted.includes(reportId));
}

/**
 * Sets the claim's status, counting it in the status index. The domain's
 * deriveClaimStatus is the rule; callers skip it where the rule's answer is
 * known without it (a new claim is reported, a claim with no live report is
 * retracted), which keeps it off the path of most events.
 */
function setStatus(index: StoryListIndex, entry: StoryListEntry, claim: IndexedClaim, status: ClaimStatus): void {
  if (status === claim.status) return;
  countStatus(index, entry, claim.status, -1);
  countStatus(index, entry, status, 1);
  claim.status = status;
}

function derivedStatus(entry: StoryListEntry, claim: IndexedClaim): ClaimStatus {
  return deriveClaimStatus({ about: claim.about, live: isLive(entry, claim), responses: claim.responses ?? NO_RESPONSES });
}

/**
 * toISOString's form (`2025-01-08T09:00:00.000Z`) orders as a string does.
 * The event-store adapter stamps recordedAt in that form; anything else is
 * normalised once here (an unreadable time sorts before every real one).
 */
function timeKey(iso: string): string {
  if (iso.length === 24 && iso.charCodeAt(23) === 90 /* Z */ && iso.charCodeAt(10) === 84 /* T */) return iso;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString();
}

function newEntry(event: ViewEvent, seq: number): StoryListEntry {
  return {
    storyId: event.storyId,
    seq,
    createdPosition: event.position,
    headline: '',
    revision: event.revision,
    position: event.position,
    firstRecordedAt: event.metadata.recordedAt,
    lastRecordedAt: event.metadata.recordedAt,
    lastRecordedKey: timeKey(event.metadata.recordedAt),
    reportCount: 0,
    retracted: null,
    claims: new Map(),
    statusCounts: { reported: 0, disputed: 0, denied: 0, confirmed: 0, contested: 0, retracted: 0 },
    outlets: [],
    languages: [],
    companies: [],
  };
}

// ---------------------------------------------------------------- Evolve

export function evolveStoryList(index: StoryListIndex, event: ViewEvent): StoryListIndex {
  if (isApplied(index.applied, event)) return index;
  let entry = index.byId.get(event.storyId);
  if (!entry) {
    entry = newEntry(event, index.entries.length);
    index.entries.push(entry);
    index.byId.set(entry.storyId, entry);
  }
  switch (event.type) {
    case 'ReportPublished': {
      const { data } = event;
      if (entry.reportCount === 0) entry.headline = data.headline;
      entry.reportCount += 1;
      addTag(entry.outlets, data.outlet, index.byOutlet, data.outlet, entry);
      addTag(entry.languages, data.language, index.byLanguage, data.language.toLowerCase(), entry);
      for (const carried of data.claims) {
        const known = entry.claims.get(carried.claimId);
        if (known) {
          known.reportIds.push(data.reportId);
          // A live claim stays as it was; one whose reports were all retracted is live again.
          if (known.status === 'retracted') setStatus(index, entry, known, derivedStatus(entry, known));
          continue;
        }
        // Subjects are fixed by the first report carrying the claim (as in the domain's state).
        entry.claims.set(carried.claimId, { about: carried.about, reportIds: [data.reportId], responses: null, status: 'reported' });
        countStatus(index, entry, 'reported', 1);
        for (const subject of carried.about) addTag(entry.companies, subject, index.byCompany, subject, entry);
      }
      break;
    }
    case 'CompanyDenied':
    case 'CompanyConfirmed': {
      const { data } = event;
      addTag(entry.companies, data.companyId, index.byCompany, data.companyId, entry);
      const response: ClaimResponse =
        event.type === 'CompanyDenied'
          ? { companyId: data.companyId, stance: 'denied', at: event.data.deniedAt }
          : { companyId: data.companyId, stance: 'confirmed', at: event.data.confirmedAt };
      const claimIds = event.type === 'CompanyDenied' ? event.data.refutes : event.data.confirms;
      for (const claimId of claimIds) {
        const claim = entry.claims.get(claimId);
        if (!claim) continue;
        (claim.responses ??= []).push(response);
        setStatus(index, entry, claim, derivedStatus(entry, claim));
      }
      break;
    }
    case 'ReportRetracted': {
      const { reportId } = event.data;
      if (entry.retracted?.includes(reportId)) break;
      (entry.retracted ??= []).push(reportId);
      for (const claim of entry.claims.values()) {
        if (claim.reportIds.includes(reportId) && !isLive(entry, claim)) setStatus(index, entry, claim, 'retracted');
      }
      break;
    }
    case 'SourceCited':
    case 'ReportCorrected':
      // Neither changes what the list filters on; the times below still move.
      break;
    default: {
      const _unhandled: never = event;
    }
  }
  entry.revision = event.revision;
  entry.position = event.position;
  entry.lastRecordedAt = event.metadata.recordedAt;
  entry.lastRecordedKey = timeKey(event.metadata.recordedAt);
  advanceWatermark(index.applied, event);
  return index;
}

// ---------------------------------------------------------------- Reads

export function toStorySummary(entry: StoryListEntry): StorySummary {
  const claimStatuses: Partial<Record<ClaimStatus, number>> = {};
  for (const status of CLAIM_STATUSES) {
    if (entry.statusCounts[status] > 0) claimStatuses[status] = entry.statusCounts[status];
  }
  return {
    storyId: entry.storyId,
    revision: Number(entry.revision),
    position: entry.position.toString(),
    headline: entry.headline,
    outlets: [...entry.outlets],
    languages: [...entry.languages],
    companies: [...entry.companies],
    claimStatuses,
    firstRecordedAt: entry.firstRecordedAt,
    lastRecordedAt: entry.lastRecordedAt,
  };
}

export function getStorySummary(index: StoryListIndex, storyId: string): StorySummary | undefined {
  const entry = index.byId.get(storyId);
  return entry && toStorySummary(entry);
}

const CURSOR_PATTERN = /^\d{1,20}$/;

/** The cursor is the creation position of the last story served, as a decimal string; clients treat it as opaque. */
function parseCursor(cursor: string): bigint {
  if (!CURSOR_PATTERN.test(cursor)) throw new ProjectionQueryError('INVALID_CURSOR', 'cursor is not one this service issued');
  return BigInt(cursor);
}

/** The index of the first entry created at or after the position (entries are in increasing createdPosition). */
function firstCreatedAtOrAfter(entries: readonly StoryListEntry[], position: bigint): number {
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
 * Cost: when one filter's index is small, its candidates are sorted; otherwise
 * the creation order is scanned from the cursor down until the page is full.
 */
export function listStories(
  index: StoryListIndex,
  filters: StoryListFilters = {},
  cursor?: string | null,
  limit = 50,
): StoryListPage {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_STORY_LIST_LIMIT) {
    throw new ProjectionQueryError('INVALID_FILTER', `limit must be an integer from 1 to ${MAX_STORY_LIST_LIMIT}`);
  }
  if (filters.status !== undefined && !(CLAIM_STATUSES as readonly string[]).includes(filters.status)) {
    throw new ProjectionQueryError('INVALID_FILTER', `status must be one of ${CLAIM_STATUSES.join(', ')}`);
  }
  const since = filters.updatedSince === undefined ? undefined : timeKey(filters.updatedSince);
  if (since === '') throw new ProjectionQueryError('INVALID_FILTER', 'updatedSince is not an ISO 8601 time');
  const end =
    cursor === undefined || cursor === null ? index.entries.length : firstCreatedAtOrAfter(index.entries, parseCursor(cursor));

  const sets: Set<StoryListEntry>[] = [];
  const lookups: [Map<string, Set<StoryListEntry>>, string | undefined][] = [
    [index.byStatus, filters.status],
    [index.byCompany, filters.company],
    [index.byOutlet, filters.outlet],
    [index.byLanguage, filters.language?.toLowerCase()],
  ];
  for (const [byKey, key] of lookups) {
    if (key === undefined) continue;
    const set = byKey.get(key);
    if (!set || set.size === 0) return { items: [], nextCursor: null };
    sets.push(set);
  }
  const matches = (entry: StoryListEntry): boolean =>
    (since === undefined || entry.lastRecordedKey >= since) && sets.every((set) => set.has(entry));

  const found: StoryListEntry[] = [];
  const smallest = sets.reduce<Set<StoryListEntry> | undefined>((a, b) => (a && a.size <= b.size ? a : b), undefined);
  // Sorting k candidates beats scanning the creation order when k is well below the entries in range.
  if (smallest && smallest.size * 8 < end) {
    for (const entry of smallest) if (entry.seq < end && matches(entry)) found.push(entry);
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
