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
  /**
   * The whole metadata object (undefined when the event is not a JSON object), kept so that
   * recreating a soft-deleted stream can carry the other keys over.
   */
  readonly raw: Readonly<Record<string, unknown>> | undefined;
}

/**
 * A real node keeps every metastream to its latest event (an implicit `$maxCount` of 1), so
 * reading `$$<stream>` returns the current metadata only.
 */
export const METASTREAM_RULES: StreamMetadataRules = { maxCount: 1n, raw: undefined };

/** Parses a `$metadata` event's data; anything that is not a JSON object counts as empty metadata. */
export function parseMetadata(data: Uint8Array): StreamMetadataRules {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch {
    return { raw: undefined };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { raw: undefined };
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
 * What a real node writes to undelete a soft-deleted stream (StorageWriterService.SoftUndeleteRawMeta):
 * the given metadata with `$tb` set to the first new revision, every other key kept in place.
 * Undefined when the metadata is not a JSON object, in which case a real node writes nothing.
 */
export function undeleteMetadata(rules: StreamMetadataRules | undefined, firstNewRevision: bigint): Buffer | undefined {
  if (rules?.raw === undefined) return undefined;
  const marker = '\u0000tb\u0000';
  // A placeholder keeps `$tb` where it was while letting the revision print as an exact 64-bit integer.
  const body = JSON.stringify({ ...rules.raw, $tb: marker }).replace(JSON.stringify(marker), `${firstNewRevision}`);
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
