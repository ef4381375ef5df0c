/**
 * Stream names and stream metadata as a real EventStoreDB node reads them.
 *
 * Metadata lives in the metastream `$$<stream>`; its latest event is the stream's
 * metadata. Reads honour `$tb` (truncate before), `$maxCount` and `$maxAge`
 * (seconds). A soft-deleted stream is one whose `$tb` is the "deleted stream"
 * event number, int64 max.
 */

/** EventNumber.DeletedStream of a real node: the tombstone's revision and the soft-delete `$tb`. */
export const DELETED_STREAM_REVISION = 9223372036854775807n;

/** `$metadata`, the event type of every metastream event. */
export const METADATA_EVENT_TYPE = '$metadata';

/** `$streamDeleted`, the event type of a tombstone. */
export const STREAM_DELETED_EVENT_TYPE = '$streamDeleted';

const METASTREAM_PREFIX = '$$';

export function isMetastream(streamId: string): boolean {
  return streamId.startsWith(METASTREAM_PREFIX);
}

export function metastreamOf(streamId: string): string {
  return METASTREAM_PREFIX + streamId;
}

/** The stream a metastream describes (the stream itself for an ordinary stream). */
export function originalStreamOf(streamId: string): string {
  return isMetastream(streamId) ? streamId.slice(METASTREAM_PREFIX.length) : streamId;
}

/** The rules of one stream's latest metadata that the engine enforces. */
export interface StreamMetadataRules {
  /** Events below this revision are hidden; DELETED_STREAM_REVISION means soft-deleted. */
  readonly truncateBefore?: bigint;
  readonly maxCount?: bigint;
  /** Seconds. */
  readonly maxAge?: number;
  /** The whole metadata object, kept so that recreating a soft-deleted stream can carry the other keys over. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/**
 * A real node keeps every metastream to its latest event (an implicit `$maxCount` of 1), so
 * reading `$$<stream>` returns the current metadata only.
 */
export const METASTREAM_RULES: StreamMetadataRules = { maxCount: 1n, raw: {} };

/** Parses a `$metadata` event's data; anything that is not a JSON object counts as empty metadata. */
export function parseMetadata(data: Uint8Array): StreamMetadataRules {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch {
    return { raw: {} };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { raw: {} };
  const raw = parsed as Record<string, unknown>;
  return {
    truncateBefore: toEventNumber(raw['$tb']),
    maxCount: toEventNumber(raw['$maxCount']),
    maxAge: typeof raw['$maxAge'] === 'number' && raw['$maxAge'] > 0 ? raw['$maxAge'] : undefined,
    raw,
  };
}

/** int64 max as a double (2^63): JSON.parse reads the soft-delete marker as this. */
const DELETED_STREAM_AS_DOUBLE = Number(DELETED_STREAM_REVISION);

/** JSON numbers arrive as doubles, so anything at or beyond 2^63 is the soft-delete marker itself. */
function toEventNumber(value: unknown): bigint | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
  if (value >= DELETED_STREAM_AS_DOUBLE) return DELETED_STREAM_REVISION;
  return BigInt(Math.trunc(value));
}

export function isSoftDeleted(rules: StreamMetadataRules | undefined): boolean {
  return rules?.truncateBefore === DELETED_STREAM_REVISION;
}

/** What a real node's soft delete writes: only `$tb`, so earlier keys are not carried over. */
export function softDeleteMetadata(): Buffer {
  return Buffer.from(`{"$tb":${DELETED_STREAM_REVISION}}`, 'utf8');
}

/**
 * What a real node writes when an append recreates a soft-deleted stream: the latest metadata
 * with `$tb` moved to the first new revision.
 */
export function undeleteMetadata(previous: StreamMetadataRules | undefined, firstNewRevision: bigint): Buffer {
  const { $tb: _dropped, ...others } = previous?.raw ?? {};
  const rest = JSON.stringify(others);
  const body = rest === '{}' ? `{"$tb":${firstNewRevision}}` : `{"$tb":${firstNewRevision},${rest.slice(1)}`;
  return Buffer.from(body, 'utf8');
}

/**
 * The lowest revision a read may return, given the stream's last revision: the higher of
 * `$tb` and the start of the last `$maxCount` events. `$maxAge` is checked per event.
 */
export function firstVisibleRevision(rules: StreamMetadataRules | undefined, lastRevision: bigint): bigint {
  let first = 0n;
  if (rules?.truncateBefore !== undefined && rules.truncateBefore > first) first = rules.truncateBefore;
  if (rules?.maxCount !== undefined) {
    const byCount = lastRevision - rules.maxCount + 1n;
    if (byCount > first) first = byCount;
  }
  return first;
}
