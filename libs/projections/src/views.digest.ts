import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { CLAIM_STATUSES } from '@newsroom/domain';
import { viewsPosition, type NewsroomViews } from './newsroom.views';
import { catchUpStatuses } from './story-list.projection';
import { TIMELINE_STRIDE, timelineLength, type StoryRecord } from './story-record.fold';
import { toStoryReadModel } from './story-state.projection';

export interface ViewsDigest {
  /** The commit position the views have reached, as a decimal string ("-1" before any event). */
  readonly position: string;
  /** SHA-256 (hex) of the views' canonical serialisation. */
  readonly digest: string;
  readonly stories: number;
  readonly companies: number;
  readonly events: number;
}

/** A running SHA-256, as node's `crypto.createHash('sha256')` is one. */
export interface Sha256Hash {
  update(data: string): unknown;
  digest(encoding: 'hex'): string;
}

/** Characters handed to the hash at once: large enough to amortise each call. */
const CHUNK_CHARS = 1 << 16;

/** A set of stories as their places in the creation order, sorted (numbers sort far faster than ids). */
function seqs(records: Iterable<StoryRecord>): string {
  return Int32Array.from(records, (r) => r.seq)
    .sort()
    .join(' ');
}

function sortedKeys(map: Map<string, unknown>): string[] {
  return [...map.keys()].sort();
}

/**
 * Feeds one story's canonical text to `write`: its state as JSON, its status
 * counts and its timeline. Read shapes are built with their keys in a fixed
 * order, so equal records give equal text.
 */
export function writeCanonicalStory(record: StoryRecord, write: (line: string) => void): void {
  write(`${JSON.stringify(toStoryReadModel(record))}\n`);
  write(`counts ${CLAIM_STATUSES.map((s) => record.statusCounts[s]).join(' ')}\n`);
  // Straight from the packed slots: a position prints alike as a number or a BigInt.
  const t = record.timeline;
  for (let at = 0; at < t.length; at += TIMELINE_STRIDE) {
    write(`${t[at]} ${t[at + 1]} ${t[at + 2]} ${t[at + 3]} ${t[at + 4]} ${t[at + 5]} ${t[at + 6]}\n`);
  }
}

/**
 * Feeds the canonical text of the views to `write`: the watermark; each story
 * (sorted by id) as its id and the SHA-256 of its own canonical text; the
 * list's creation order and each inverted index's members (by their place
 * in that order); each company's
 * responses as references into the stories. Every set is sorted, so equal
 * views give equal text whatever order they were filled in.
 */
function writeCanonicalViews(views: NewsroomViews, storyHash: (record: StoryRecord) => string, write: (line: string) => void): void {
  write(`newsroom-views 3 ${views.applied.position} ${views.applied.revision}\n`);
  for (const storyId of sortedKeys(views.stories)) write(`story ${storyId} ${storyHash(views.stories.get(storyId)!)}\n`);
  catchUpStatuses(views.list);
  write(`list ${views.list.entries.map((r) => `${r.seq}:${r.storyId}`).join(' ')}\n`);
  const { byStatus, byCompany, byOutlet, byLanguage } = views.list;
  const indexes: [string, Map<string, Iterable<StoryRecord>>][] = [
    ['status', byStatus],
    ['company', byCompany],
    ['outlet', byOutlet],
    ['language', byLanguage],
  ];
  for (const [name, index] of indexes) {
    for (const key of sortedKeys(index)) write(`${name} ${JSON.stringify(key)} ${seqs(index.get(key)!)}\n`);
  }
  for (const companyId of sortedKeys(views.companies)) {
    const company = views.companies.get(companyId)!;
    write(`company ${companyId} ${JSON.stringify(company.companyName)} ${company.responses.map((r) => `${r.storyId}@${r.revision}`).join(' ')}\n`);
  }
}

/** Hashes text fed line by line, handing the hash large chunks. */
function hashLines(createSha256: () => Sha256Hash, feed: (write: (line: string) => void) => void): string {
  const hash = createSha256();
  let pending: string[] = [];
  let pendingChars = 0;
  feed((line) => {
    pending.push(line);
    pendingChars += line.length;
    if (pendingChars >= CHUNK_CHARS) {
      hash.update(pending.join(''));
      pending = [];
      pendingChars = 0;
    }
  });
  hash.update(pending.join(''));
  return hash.digest('hex');
}

/**
 * Each story's hash, remembered with the position it was taken at: a record
 * changes only with an event of its story, which moves its position, so a
 * later digest rehashes only the stories that changed since. Every
 * createSha256 is SHA-256, so one memo serves them all.
 */
const storyHashes = new WeakMap<StoryRecord, { position: bigint; hash: string }>();

function nobleSha256(): Sha256Hash {
  const hash = sha256.create();
  return {
    update: (data) => hash.update(utf8ToBytes(data)),
    digest: () => bytesToHex(hash.digest()),
  };
}

/**
 * A digest of all views at the position they reached, equal for a fresh
 * replay and the live views when both applied the same events: the SHA-256
 * of the views' canonical text, in which each story stands as the SHA-256 of
 * its own (so a repeated digest of live views only rehashes what changed).
 *
 * SHA-256 comes from @noble/hashes (pure JS, audited) so the lib needs no
 * node import; an app may pass node's `() => createHash('sha256')`, several
 * times faster on a million events, and gets the same digest (it is the same
 * function of the same text). Whatever it passes must be SHA-256.
 */
export function digestViews(views: NewsroomViews, createSha256: () => Sha256Hash = nobleSha256): ViewsDigest {
  const storyHash = (record: StoryRecord): string => {
    const cached = storyHashes.get(record);
    if (cached && cached.position === record.position) return cached.hash;
    const hash = hashLines(createSha256, (write) => writeCanonicalStory(record, write));
    storyHashes.set(record, { position: record.position, hash });
    return hash;
  };
  const digest = hashLines(createSha256, (write) => writeCanonicalViews(views, storyHash, write));
  let events = 0;
  for (const record of views.stories.values()) events += timelineLength(record.timeline);
  return {
    position: viewsPosition(views).toString(),
    digest,
    stories: views.stories.size,
    companies: views.companies.size,
    events,
  };
}
