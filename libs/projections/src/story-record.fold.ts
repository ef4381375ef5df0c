import {
  type ClaimResponse,
  type ClaimStatus,
  type IsoDateTime,
  type ReportCorrection,
  type Stance,
  type StoryEventType,
  utcWorldTime,
} from '@newsroom/domain';
import type { ViewEvent } from './view-event';

// ---------------------------------------------------------------- Records

export interface ReportRecord {
  readonly reportId: string;
  readonly outlet: string;
  readonly headline: string;
  readonly url: string | undefined;
  readonly language: string;
  readonly publishedAt: IsoDateTime;
  readonly followsReportId: string | undefined;
  corrections: ReportCorrection[] | null;
  retraction: { readonly reason: string; readonly retractedAt: IsoDateTime } | null;
}

/** A later report's wording of a claim (a follow-up or a translation). */
export interface ClaimWording {
  readonly reportId: string;
  readonly language: string;
  readonly statement: string;
}

/**
 * A denial or confirmation. One object serves the story (its claims list it)
 * and the company view (which lists the company's responses across stories),
 * and it is the domain's ClaimResponse (companyId, stance, at) as is.
 */
export interface ResponseRecord extends ClaimResponse {
  readonly storyId: string;
  readonly stance: Stance;
  readonly companyId: string;
  readonly companyName: string;
  readonly statement: string;
  readonly language: string;
  readonly at: IsoDateTime;
  /** Date.parse of `at` (NaN when unreadable), for the claim status rule. */
  readonly time: number;
  readonly claimIds: readonly string[];
  readonly reportedIn: string | undefined;
  readonly recordedAt: IsoDateTime;
  readonly revision: number;
  readonly position: bigint;
}

export interface ClaimRecord {
  readonly claimId: string;
  /** Fixed by the first report carrying the claim (as in the domain's state). */
  readonly about: readonly string[];
  /** The first wording, in `language`. */
  readonly statement: string;
  readonly language: string;
  /** Wordings of the reports that carried it later (null while there are none). */
  wordings: ClaimWording[] | null;
  reportIds: string[];
  /** People behind its sources, by kind. */
  anonymous: number;
  named: number;
  document: number;
  statementSources: number;
  responses: ResponseRecord[] | null;
  /**
   * Each subject's current stance, at the index of its first place in `about`
   * (null until a subject responds): what deriveClaimStatus computes from all
   * the responses, kept up to date one response at a time.
   */
  latest: (ResponseRecord | undefined)[] | null;
  /** Distinct entities in `about`. */
  readonly subjects: number;
  /** Kept current by the fold: the list filters on it. */
  status: ClaimStatus;
}

export interface TimelineEntry {
  readonly revision: number;
  readonly position: bigint;
  readonly type: StoryEventType;
  readonly subject: string;
  readonly happenedAt: IsoDateTime | null;
  readonly recordedAt: IsoDateTime;
  readonly recordedBy: string;
}

/**
 * A story's timeline, packed: TIMELINE_STRIDE slots per event in one array
 * (revision, position, type, subject, happenedAt, recordedAt, recordedBy),
 * the position as a number while it is a safe integer. A million events then
 * cost a million fewer objects (and BigInts) to hold and to garbage-collect.
 */
export type PackedTimeline = (number | bigint | string | null)[];
export const TIMELINE_STRIDE = 7;

const MAX_SAFE_POSITION = BigInt(Number.MAX_SAFE_INTEGER);

function packPosition(position: bigint): number | bigint {
  return position <= MAX_SAFE_POSITION ? Number(position) : position;
}

export function timelineLength(timeline: PackedTimeline): number {
  return timeline.length / TIMELINE_STRIDE;
}

/** The i-th event of a packed timeline. */
export function timelineEntry(timeline: PackedTimeline, i: number): TimelineEntry {
  const at = i * TIMELINE_STRIDE;
  return {
    revision: timeline[at] as number,
    position: BigInt(timeline[at + 1] as number | bigint),
    type: timeline[at + 2] as StoryEventType,
    subject: timeline[at + 3] as string,
    happenedAt: timeline[at + 4] as IsoDateTime | null,
    recordedAt: timeline[at + 5] as IsoDateTime,
    recordedBy: timeline[at + 6] as string,
  };
}

export type StatusCounts = Record<ClaimStatus, number>;

/**
 * Everything the views know of one story, in one record that every view
 * shares: the story state reads it, the list index points at it, the company
 * view points at its responses, the timeline is its `timeline`. Updated in
 * place; read through the views' functions, which copy.
 */
export interface StoryRecord {
  readonly storyId: string;
  /** Commit position of the story's first event: the list's order and cursor. */
  readonly createdPosition: bigint;
  /** Its place in the list's creation order. */
  seq: number;
  /** The claim statuses whose list sets hold the story (bit i: CLAIM_STATUSES[i]), as of the list's last catch-up. */
  listedStatuses: number;
  /** Its status counts changed since the list last caught up with them. */
  statusesPending: boolean;
  revision: number;
  position: bigint;
  readonly firstRecordedAt: IsoDateTime;
  lastRecordedAt: IsoDateTime;
  readonly reports: Map<string, ReportRecord>;
  readonly claims: Map<string, ClaimRecord>;
  responses: ResponseRecord[];
  /** Report languages, outlets, and companies (claim subjects and responders), in order of first appearance. */
  languages: string[];
  outlets: string[];
  companies: string[];
  readonly statusCounts: StatusCounts;
  readonly timeline: PackedTimeline;
}

export function newStoryRecord(event: ViewEvent): StoryRecord {
  return {
    storyId: event.storyId,
    createdPosition: event.position,
    seq: -1,
    listedStatuses: 0,
    statusesPending: false,
    revision: -1,
    position: -1n,
    firstRecordedAt: event.metadata.recordedAt,
    lastRecordedAt: event.metadata.recordedAt,
    reports: new Map(),
    claims: new Map(),
    responses: [],
    languages: [],
    outlets: [],
    companies: [],
    statusCounts: { reported: 0, disputed: 0, denied: 0, confirmed: 0, contested: 0, retracted: 0 },
    timeline: [],
  };
}

// ---------------------------------------------------------------- What the fold tells the indexes

/** Told of each change the list index and company view keep an index on. */
export interface StoryIndexer {
  tagged(record: StoryRecord, kind: 'outlet' | 'language' | 'company', value: string): void;
  counted(record: StoryRecord, status: ClaimStatus, count: number): void;
  responded(record: StoryRecord, response: ResponseRecord): void;
}

/**
 * One copy of each recurring string (outlets, languages, company ids and
 * names, principals, event types): events parsed from JSON bring their own
 * copy of every string, and a million of them would otherwise be kept.
 */
export type StringPool = Map<string, string>;

export function intern(pool: StringPool, value: string): string {
  const known = pool.get(value);
  if (known !== undefined) return known;
  pool.set(value, value);
  return value;
}

// ---------------------------------------------------------------- The fold

/**
 * The list with the item added. A story's small lists (languages, a claim's
 * reports, ...) grown with push would each keep a dozen or more empty slots,
 * a hundred bytes per list, per story, held for good; so a short list is
 * copied into an array of exactly its new length. A long one is pushed to:
 * its slack is small next to it, and copying it would make appends quadratic.
 */
function appended<T>(list: T[] | null, item: T): T[] {
  if (list === null) return [item];
  if (list.length >= 16) {
    list.push(item);
    return list;
  }
  return list.concat([item]);
}

const TAG_LISTS = { outlet: 'outlets', language: 'languages', company: 'companies' } as const;

function addTag(record: StoryRecord, kind: 'outlet' | 'language' | 'company', value: string, indexer: StoryIndexer | undefined): void {
  const field = TAG_LISTS[kind];
  if (record[field].includes(value)) return;
  record[field] = appended(record[field], value);
  indexer?.tagged(record, kind, value);
}

function count(record: StoryRecord, status: ClaimStatus, delta: 1 | -1, indexer: StoryIndexer | undefined): void {
  const now = (record.statusCounts[status] += delta);
  indexer?.counted(record, status, now);
}

function setStatus(record: StoryRecord, claim: ClaimRecord, status: ClaimStatus, indexer: StoryIndexer | undefined): void {
  if (status === claim.status) return;
  count(record, claim.status, -1, indexer);
  count(record, status, 1, indexer);
  claim.status = status;
}

function isLive(record: StoryRecord, claim: ClaimRecord): boolean {
  for (const reportId of claim.reportIds) if (!record.reports.get(reportId)?.retraction) return true;
  return false;
}

function distinctCount(about: readonly string[]): number {
  let distinct = 0;
  for (let i = 0; i < about.length; i += 1) if (about.indexOf(about[i]) === i) distinct += 1;
  return distinct;
}

/**
 * Takes one more response into the claim's latest stances. deriveClaimStatus
 * walks a claim's responses in recording order and lets each replace its
 * company's stance unless both times are readable and it is the earlier; a
 * response arriving later is the next step of that same walk, so doing the
 * step here gives the rule's answer without walking (or parsing) the earlier
 * ones again. Responses of non-subjects are left out, as the rule does.
 */
function takeStance(claim: ClaimRecord, response: ResponseRecord): void {
  const subject = claim.about.indexOf(response.companyId);
  if (subject < 0) return;
  const latest = (claim.latest ??= new Array<ResponseRecord | undefined>(claim.about.length).fill(undefined));
  const known = latest[subject];
  const { time } = response;
  if (known === undefined || Number.isNaN(time) || Number.isNaN(known.time) || time >= known.time) latest[subject] = response;
}

/** deriveClaimStatus's answer for a live claim, from the subjects' latest stances. */
function liveStatus(claim: ClaimRecord): ClaimStatus {
  if (claim.latest === null) return 'reported';
  let denying = 0;
  let confirming = 0;
  for (const known of claim.latest) {
    if (known === undefined) continue;
    if (known.stance === 'denied') denying += 1;
    else confirming += 1;
  }
  if (confirming > 0) return denying > 0 ? 'contested' : 'confirmed';
  if (denying === 0) return 'reported';
  return denying === claim.subjects ? 'denied' : 'disputed';
}

/** The record's own copy of an id it already holds (a claim or report named again by a later event). */
function claimIdsOf(record: StoryRecord, claimIds: readonly string[]): readonly string[] {
  return claimIds.map((claimId) => record.claims.get(claimId)?.claimId ?? claimId);
}

/**
 * Folds one event of the record's story into it, in place, with the meaning
 * the domain's evolve gives it (a unit test folds a generated log both ways
 * and compares). Claim statuses follow the domain's deriveClaimStatus, worked
 * out only where its answer can change: a new claim is `reported`, a claim
 * whose last live report is retracted is `retracted`, a subject's response or
 * a report bringing a retracted claim back re-reads the subjects' latest
 * stances (takeStance keeps them as the rule's walk would).
 */
export function foldIntoRecord(record: StoryRecord, event: ViewEvent, pool: StringPool, indexer?: StoryIndexer): void {
  // The timeline's slots, set by each branch: the type as the module's own string (the
  // event's copy would be kept a million times), the subject as a string the record
  // already holds where it holds one (view-event's subjectOf), and happenedAt.
  let type: StoryEventType;
  let subject: string;
  let happened: IsoDateTime | null;
  // Events of one append share their recording time, and most of a story's events came in
  // one append with the one before: keep the story's copy of the time, not one per event.
  const recordedAt = event.metadata.recordedAt === record.lastRecordedAt ? record.lastRecordedAt : event.metadata.recordedAt;
  switch (event.type) {
    case 'ReportPublished': {
      const { data } = event;
      type = 'ReportPublished';
      subject = data.reportId;
      // Views hold world times in UTC (the log keeps them as posted).
      happened = utcWorldTime(data.publishedAt);
      const language = intern(pool, data.language);
      const outlet = intern(pool, data.outlet);
      record.reports.set(data.reportId, {
        reportId: data.reportId,
        outlet,
        headline: data.headline,
        url: data.url,
        language,
        publishedAt: happened,
        followsReportId: data.followsReportId === undefined ? undefined : (record.reports.get(data.followsReportId)?.reportId ?? data.followsReportId),
        corrections: null,
        retraction: null,
      });
      addTag(record, 'language', language, indexer);
      addTag(record, 'outlet', outlet, indexer);
      for (const carried of data.claims) {
        const known = record.claims.get(carried.claimId);
        if (known) {
          known.wordings = appended(known.wordings, { reportId: data.reportId, language, statement: carried.statement });
          known.reportIds = appended(known.reportIds, data.reportId);
          // A live claim stays as it was; one whose reports were all retracted is live again.
          if (known.status === 'retracted') setStatus(record, known, liveStatus(known), indexer);
          continue;
        }
        const about = carried.about.map((entity) => intern(pool, entity));
        record.claims.set(carried.claimId, {
          claimId: carried.claimId,
          about,
          statement: carried.statement,
          language,
          wordings: null,
          reportIds: [data.reportId],
          anonymous: 0,
          named: 0,
          document: 0,
          statementSources: 0,
          responses: null,
          latest: null,
          subjects: distinctCount(about),
          status: 'reported',
        });
        count(record, 'reported', 1, indexer);
        for (const entity of about) addTag(record, 'company', entity, indexer);
      }
      break;
    }
    case 'SourceCited': {
      const { data } = event;
      type = 'SourceCited';
      subject = data.sourceId;
      happened = null;
      const people = data.count ?? 1;
      for (const claimId of data.supports) {
        const claim = record.claims.get(claimId);
        if (!claim) continue;
        if (data.kind === 'anonymous') claim.anonymous += people;
        else if (data.kind === 'named') claim.named += people;
        else if (data.kind === 'document') claim.document += people;
        else claim.statementSources += people;
      }
      break;
    }
    case 'CompanyDenied':
    case 'CompanyConfirmed': {
      const { data } = event;
      const companyId = intern(pool, data.companyId);
      const denial = event.type === 'CompanyDenied';
      const at = utcWorldTime(event.type === 'CompanyDenied' ? event.data.deniedAt : event.data.confirmedAt);
      type = denial ? 'CompanyDenied' : 'CompanyConfirmed';
      subject = companyId;
      happened = at;
      const response: ResponseRecord = {
        storyId: record.storyId,
        stance: denial ? 'denied' : 'confirmed',
        companyId,
        companyName: intern(pool, data.companyName),
        statement: data.statement,
        language: intern(pool, data.language),
        at,
        time: Date.parse(at),
        claimIds: claimIdsOf(record, event.type === 'CompanyDenied' ? event.data.refutes : event.data.confirms),
        reportedIn: data.reportedIn === undefined ? undefined : (record.reports.get(data.reportedIn)?.reportId ?? data.reportedIn),
        recordedAt,
        revision: Number(event.revision),
        position: event.position,
      };
      record.responses = appended(record.responses, response);
      addTag(record, 'company', companyId, indexer);
      for (const claimId of response.claimIds) {
        const claim = record.claims.get(claimId);
        if (!claim) continue;
        claim.responses = appended(claim.responses, response);
        // The rule counts only the claim's subjects: anyone else's word leaves the status as it was.
        if (!claim.about.includes(companyId)) continue;
        takeStance(claim, response);
        // A retracted claim stays retracted whatever is said of it.
        if (claim.status !== 'retracted') setStatus(record, claim, liveStatus(claim), indexer);
      }
      indexer?.responded(record, response);
      break;
    }
    case 'ReportCorrected': {
      const report = record.reports.get(event.data.reportId);
      type = 'ReportCorrected';
      subject = report?.reportId ?? event.data.reportId;
      happened = utcWorldTime(event.data.correctedAt);
      if (report) report.corrections = appended(report.corrections, { correction: event.data.correction, correctedAt: happened });
      break;
    }
    case 'ReportRetracted': {
      const report = record.reports.get(event.data.reportId);
      type = 'ReportRetracted';
      subject = report?.reportId ?? event.data.reportId;
      happened = utcWorldTime(event.data.retractedAt);
      if (!report || report.retraction) break;
      report.retraction = { reason: event.data.reason, retractedAt: happened };
      for (const claim of record.claims.values()) {
        if (claim.reportIds.includes(report.reportId) && !isLive(record, claim)) setStatus(record, claim, 'retracted', indexer);
      }
      break;
    }
    default: {
      // A new event type without a branch fails to compile; at run time an unknown type changes nothing.
      const _unhandled: never = event;
      const unknown = event as { type: StoryEventType };
      type = unknown.type;
      subject = '';
      happened = null;
    }
  }
  const { timeline } = record;
  const revision = Number(event.revision);
  // Most events of a story are recorded by whoever recorded the one before: no pool lookup then.
  const before = timeline.length > 0 ? timeline[timeline.length - 1] : null;
  const recordedBy = before === event.metadata.recordedBy ? before : intern(pool, event.metadata.recordedBy);
  timeline.push(revision, packPosition(event.position), type, subject, happened, recordedAt, recordedBy);
  record.revision = revision;
  record.position = event.position;
  record.lastRecordedAt = recordedAt;
}
