/**
 * The contract between the storage engine (SQLite, durable) and the gRPC
 * services that speak EventStoreDB's protocol over it. The engine owns every
 * semantic of a real single node (revisions, expected-revision checks,
 * idempotent retries, soft delete and tombstone, stream metadata on reads);
 * the gRPC layer only translates messages and errors.
 *
 * Positions: each event gets one strictly increasing position in `$all`, used
 * as both its commit and its prepare position (esdb-wire.md 3.2 allows this).
 */

/** One event as the client proposes it (`AppendReq.ProposedMessage`). */
export interface ProposedEvent {
  /** Canonical lower-case UUID. */
  readonly id: string;
  readonly type: string;
  /** `content-type` was `application/json`; a real node keeps only this flag. */
  readonly isJson: boolean;
  readonly data: Uint8Array;
  /** The client's `custom_metadata` bytes (may be empty). */
  readonly metadata: Uint8Array;
}

/** One event as stored and read back. */
export interface StoredEvent {
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: bigint;
  readonly id: string;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as the client expects in `created`. */
  readonly created: bigint;
}

export type ExpectedRevision =
  { readonly kind: 'any' } | { readonly kind: 'no_stream' } | { readonly kind: 'stream_exists' } | { readonly kind: 'exact'; readonly revision: bigint };

/**
 * A stream's current revision, or that it has none. As on a real node, a soft-deleted stream
 * still reports the revision of its last event here (its revisions continue on recreation);
 * `no_stream` means no event was ever written to it.
 */
export type CurrentRevision = bigint | 'no_stream';

export type AppendResult =
  | {
      readonly outcome: 'ok';
      /** Revision of the last event now in the stream (`no_stream` only for an empty append to a missing stream). */
      readonly currentRevision: CurrentRevision;
      /** Position of the last event written (or of the already-written events, for an idempotent retry). */
      readonly position: bigint | undefined;
    }
  | { readonly outcome: 'wrong_expected_version'; readonly current: CurrentRevision; readonly expected: ExpectedRevision }
  | { readonly outcome: 'stream_deleted' }
  | { readonly outcome: 'max_append_size_exceeded'; readonly maxAppendSize: number };

export type DeleteResult =
  | { readonly outcome: 'ok'; readonly position: bigint }
  | { readonly outcome: 'wrong_expected_version'; readonly current: CurrentRevision; readonly expected: ExpectedRevision }
  | { readonly outcome: 'stream_deleted' };

export type Direction = 'forwards' | 'backwards';

/** Where a stream read starts: its first event, its end, or a revision (inclusive). */
export type StreamFrom = 'start' | 'end' | bigint;

/** Where an `$all` read starts: the beginning, the end, or a position (forwards: >= P; backwards: < P). */
export type AllFrom = 'start' | 'end' | bigint;

export type StreamReadResult =
  /** Events are produced lazily, page by page, so a reader can stop or pause at any point. */
  { readonly outcome: 'ok'; readonly events: Iterable<StoredEvent> } | { readonly outcome: 'not_found' } | { readonly outcome: 'deleted' };

/** Called synchronously after each durable commit, with the events it wrote in position order. */
export type CommitListener = (events: readonly StoredEvent[]) => void;

export interface StorageEngine {
  append(streamId: string, expected: ExpectedRevision, events: readonly ProposedEvent[]): Promise<AppendResult>;
  /** Soft delete: reads say not found; a later append recreates the stream, revisions continuing. */
  delete(streamId: string, expected: ExpectedRevision): Promise<DeleteResult>;
  /** Hard delete: the stream and its metastream are gone for good. */
  tombstone(streamId: string, expected: ExpectedRevision): Promise<DeleteResult>;
  /** Honours the stream's metadata (`$tb`, `$maxCount`, `$maxAge`). */
  readStream(streamId: string, from: StreamFrom, direction: Direction, maxCount: bigint): StreamReadResult;
  /**
   * Every event in commit order, system events included; metadata does not hide events from `$all`.
   * Read lazily, 1,000 events a page: the events come out gap-free and in order, and a read ends at
   * the head as of its last page (events committed later may or may not be included).
   */
  readAll(from: AllFrom, direction: Direction, maxCount: bigint): Iterable<StoredEvent>;
  /** Whether the stream (or its metastream) is tombstoned. */
  isTombstoned(streamId: string): boolean;
  /** Position of the newest event, 0n when the log is empty. */
  headPosition(): bigint;
  onCommit(listener: CommitListener): () => void;
  close(): Promise<void>;
}
