/**
 * The durable storage engine: SQLite through better-sqlite3, with group commit.
 *
 * Writes (appends, deletes, tombstones) are queued and committed together: everything queued in
 * one turn of the event loop goes into ONE transaction (flushed on setImmediate, or at once when
 * the queue is large), so concurrent writers share one fsync. Inside the transaction each write is
 * checked in arrival order against the state that includes the earlier writes of the same batch,
 * and a refused write does not affect the others.
 *
 * The fsync runs off the event loop. SQLite writes the WAL without syncing it (synchronous=NORMAL)
 * and the engine then fdatasyncs the WAL file on libuv's thread pool: the same sync that
 * synchronous=FULL makes inside COMMIT, except that the event loop keeps taking requests meanwhile.
 * Writes that arrive during a sync wait for it and are committed together right after, then synced
 * together: batches grow with the load instead of each turn paying a blocking sync. Nothing a write
 * decides is visible before its sync: callers' promises settle, commit listeners run and reads see
 * the events only once the WAL holding them is on disk.
 *
 * Each stream's last revision, its latest metadata and the recently written event ids are held in
 * memory so that a write needs no SELECT; they are rebuilt from the `events` table on open (and
 * after a failed transaction), so no crash can leave them out of step with the file.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { checkCommit, expectedVersionCode, type CommitCheckFacts, type RecentEvent } from './commit-check';
import { EVENT_COLUMNS, databaseFile, openDatabase, openFailure, syncFile, type EventRow } from './sqlite-schema';
import { StorageFullError, isDiskFull } from './storage-errors';
import {
  DELETED_STREAM_REVISION,
  METADATA_EVENT_TYPE,
  METASTREAM_RULES,
  STREAM_DELETED_EVENT_TYPE,
  firstVisibleRevision,
  isMetastream,
  isSoftDeleted,
  metastreamOf,
  originalStreamOf,
  parseMetadata,
  softDeleteMetadata,
  undeleteMetadata,
  type StreamMetadataRules,
} from './stream-metadata';
import { EPOCH_INFORMATION_STREAM, SCAVENGES_STREAM, epochInformationWrite, scavengesMetadataWrite, type StartupWrite } from './system-events';
import type {
  AllFrom,
  AppendResult,
  CommitListener,
  CurrentRevision,
  DeleteResult,
  Direction,
  ExpectedRevision,
  ProposedEvent,
  StorageEngine,
  StoredEvent,
  StreamFrom,
  StreamReadResult,
} from './storage.types';
import type { StoreObserver } from './store-observer';

/** A real node's default `MaxAppendSize` (ClusterVNodeOptions: 1,024 × 1,024 bytes). */
export const DEFAULT_MAX_APPEND_SIZE = 1024 * 1024;

export interface SqliteEngineOptions {
  /** Directory of the store (created if missing); the file is `store.sqlite` inside. */
  readonly dataDir?: string;
  /** SQLite in memory: same code path, nothing on disk. */
  readonly memory?: boolean;
  readonly maxAppendSize?: number;
  /** Clock for `created` stamps and `$maxAge`; tests pass a fixed one. */
  readonly now?: () => Date;
  /** Told of each group commit and each sync (metrics). */
  readonly observer?: StoreObserver;
  /** For tests only: full-disk failures to inject at the engine's real write and sync (see StorageFaults). */
  readonly faults?: StorageFaults;
}

/**
 * For tests only: the next `failWrites` commits fail as SQLite fails a commit on a full disk
 * (SQLITE_FULL, the transaction rolled back) and the next `failSyncs` syncs of the log fail with
 * ENOSPC. The engine counts them down; everything else takes the real code path.
 */
export interface StorageFaults {
  failWrites: number;
  failSyncs: number;
}

export interface SqliteEngineStats {
  /** Transactions committed by the group commit (a diagnostic: N writes in one turn make one commit). */
  readonly commits: number;
  /** Writes committed so far (appends, deletes, tombstones, whatever their outcome). */
  readonly writes: number;
}

export interface SqliteStorageEngine extends StorageEngine {
  stats(): SqliteEngineStats;
}

/**
 * How a real node counts an append's size (Streams.Append / BatchAppend: `size += Event.SizeOnDisk(...)`,
 * refused when `size > MaxAppendSize`): data bytes + custom metadata bytes + 2 bytes per UTF-16
 * code unit of the event type.
 */
export function appendSize(events: readonly ProposedEvent[]): number {
  let size = 0;
  for (const event of events) size += event.data.byteLength + event.metadata.byteLength + event.type.length * 2;
  return size;
}

const PAGE_SIZE = 1000;
/** A queue this long (or this heavy) is committed at once instead of waiting for setImmediate. */
const MAX_BATCH_WRITES = 1000;
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
/** How many recent event ids are remembered for idempotent `any` retries (a real node bounds this cache too). */
const RECENT_EVENT_IDS = 100_000;
/** The WAL beside the database file (SQLite's naming). */
const WAL_SUFFIX = '-wal';
const TICKS_PER_MS = 10_000n;
const TICKS_PER_SECOND = 10_000_000n;
const NO_EVENTS: readonly StoredEvent[] = [];
const EMPTY = Buffer.alloc(0);

type PendingWrite =
  | {
      readonly kind: 'append';
      readonly streamId: string;
      readonly expected: ExpectedRevision;
      readonly events: readonly ProposedEvent[];
      readonly size: number;
      readonly resolve: (result: AppendResult) => void;
      readonly reject: (error: unknown) => void;
    }
  | {
      readonly kind: 'delete' | 'tombstone';
      readonly streamId: string;
      readonly expected: ExpectedRevision;
      readonly size: number;
      readonly resolve: (result: DeleteResult) => void;
      readonly reject: (error: unknown) => void;
    };

type WriteResult = AppendResult | DeleteResult;
type WriteOutcome = { readonly result: WriteResult } | { readonly error: unknown };

/** A committed transaction whose callers wait for its sync. */
interface Committed {
  readonly batch: readonly PendingWrite[];
  readonly outcomes: readonly WriteOutcome[];
  readonly written: readonly StoredEvent[];
}

/** A warning's text; errors may come from another realm (vm contexts), so no instanceof. */
function describe(error: unknown): string {
  const stack = (error as { stack?: unknown } | null)?.stack;
  return typeof stack === 'string' ? stack : String(error);
}

function toCurrent(revision: bigint): CurrentRevision {
  return revision < 0n ? 'no_stream' : revision;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    position: row[0],
    streamId: row[1],
    revision: row[2],
    id: row[3],
    type: row[4],
    isJson: row[5] === 1n,
    data: row[6],
    metadata: row[7],
    created: row[8],
  };
}

class SqliteEngine implements SqliteStorageEngine {
  private readonly maxAppendSize: number;
  private readonly now: () => Date;

  /** Last revision per stream (metastreams included); DELETED_STREAM_REVISION once tombstoned. */
  private readonly lastRevisions = new Map<string, bigint>();
  /** Latest metadata per original stream (from its metastream's latest event). */
  private readonly metadata = new Map<string, StreamMetadataRules>();
  /** Recently written event ids, for idempotent `any` retries. */
  private readonly recent = new Map<string, RecentEvent>();
  private readonly recentRing: ({ readonly eventId: string; readonly position: bigint } | undefined)[] = [];
  private recentCount = 0;
  /** Position of the newest committed event (the write side's view). */
  private head = 0n;
  /** Position of the newest event on disk: reads and `headPosition` stop here. */
  private durableHead = 0n;
  /**
   * Values the maps above had before the commits still waiting for their sync: reads answer from
   * these, so that an event is never seen before it is durable. Empty in memory.
   */
  private readonly unsyncedLastRevisions = new Map<string, bigint | undefined>();
  private readonly unsyncedMetadata = new Map<string, StreamMetadataRules | undefined>();

  private readonly listeners = new Set<CommitListener>();
  private queue: PendingWrite[] = [];
  private queuedBytes = 0;
  private flushScheduled: NodeJS.Immediate | undefined;
  private flushing = false;
  private closed = false;
  private commits = 0;
  private writes = 0;
  private readonly observer: StoreObserver | undefined;
  /** When the sync under way started (performance.now()), for the observer. */
  private syncStarted = 0;
  /** The WAL's file descriptor, synced by the engine; undefined in memory (nothing to sync). */
  private readonly walFd: number | undefined;
  private syncing = false;
  private unsynced: Committed[] = [];
  private readonly syncIdle: (() => void)[] = [];
  /** Set when a sync failed: what was committed may not be on disk, so no write is taken until it is cleared. */
  private failure: unknown;
  /** Set while writes fail for want of space: the log says so once when it starts and once when it ends. */
  private full: StorageFullError | undefined;
  /** The file named in errors: the WAL, which every commit writes and every sync flushes. */
  private readonly logFile: string;

  private readonly insertEvent: Database.Statement;
  private readonly selectEventAt: Database.Statement;
  private readonly selectStreamForwards: Database.Statement;
  private readonly selectStreamBackwards: Database.Statement;
  private readonly selectAllForwards: Database.Statement;
  private readonly selectAllBackwards: Database.Statement;
  private readonly commitBatch: (batch: readonly PendingWrite[], created: bigint, written: StoredEvent[]) => WriteOutcome[];

  constructor(
    private readonly db: Database.Database,
    private readonly options: SqliteEngineOptions,
    walFile?: string,
  ) {
    this.maxAppendSize = options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
    this.now = options.now ?? (() => new Date());
    this.logFile = walFile ?? ':memory:';
    this.observer = options.observer;
    this.insertEvent = db.prepare(`INSERT INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.selectEventAt = db.prepare('SELECT event_id, position, data FROM events WHERE stream = ? AND revision = ?').raw(true).safeIntegers(true);
    this.selectStreamForwards = db
      .prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision >= ? AND revision < ? ORDER BY revision LIMIT ?`)
      .raw(true)
      .safeIntegers(true);
    this.selectStreamBackwards = db
      .prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision <= ? AND revision >= ? ORDER BY revision DESC LIMIT ?`)
      .raw(true)
      .safeIntegers(true);
    this.selectAllForwards = db
      .prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE position >= ? AND position <= ? ORDER BY position LIMIT ?`)
      .raw(true)
      .safeIntegers(true);
    this.selectAllBackwards = db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE position < ? ORDER BY position DESC LIMIT ?`).raw(true).safeIntegers(true);
    // Called inside the batch's transaction, a transaction function runs as a SAVEPOINT: a write
    // that fails in SQLite (a malformed event) is undone alone and fails alone.
    const applyIsolated = db.transaction((write: PendingWrite, created: bigint, written: StoredEvent[]) => this.apply(write, created, written));
    this.commitBatch = db.transaction((batch: readonly PendingWrite[], created: bigint, written: StoredEvent[]) => {
      const outcomes = batch.map((write): WriteOutcome => {
        const mark = written.length;
        try {
          return { result: applyIsolated(write, created, written) };
        } catch (error) {
          // SQLite rolls the whole transaction back on some errors (disk full, I/O); then the batch fails as one.
          if (!db.inTransaction) throw error;
          written.length = mark;
          // Read back inside the transaction: the index then matches the batch's writes so far.
          this.loadState();
          // A statement that spilled pages to a full disk fails alone when SQLite keeps the transaction.
          return { error: isDiskFull(error) ? this.diskFull('write', error) : error };
        }
      });
      if (this.takeFault('failWrites')) throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
      return outcomes;
    });
    this.loadState();
    // SQLite created the WAL with the first transaction above (it keeps the file, truncated or not,
    // until the connection closes). fsync works on any descriptor of the file: it flushes the inode.
    this.walFd = walFile === undefined ? undefined : fs.openSync(walFile, 'r');
  }

  // ---------------------------------------------------------------- writes

  append(streamId: string, expected: ExpectedRevision, events: readonly ProposedEvent[]): Promise<AppendResult> {
    // A real node measures the request while reading it, before looking at the stream.
    const size = appendSize(events);
    if (size > this.maxAppendSize) {
      return Promise.resolve({ outcome: 'max_append_size_exceeded', maxAppendSize: this.maxAppendSize });
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.enqueue({ kind: 'append', streamId, expected, events, size, resolve, reject });
    });
  }

  delete(streamId: string, expected: ExpectedRevision): Promise<DeleteResult> {
    return new Promise<DeleteResult>((resolve, reject) => {
      this.enqueue({ kind: 'delete', streamId, expected, size: 0, resolve, reject });
    });
  }

  tombstone(streamId: string, expected: ExpectedRevision): Promise<DeleteResult> {
    return new Promise<DeleteResult>((resolve, reject) => {
      this.enqueue({ kind: 'tombstone', streamId, expected, size: 0, resolve, reject });
    });
  }

  private enqueue(write: PendingWrite): void {
    if (this.closed) {
      write.reject(new Error('The storage engine is closed'));
      return;
    }
    if (this.failure !== undefined && !this.recoverFromFullDisk()) {
      write.reject(this.failure);
      return;
    }
    if (write.streamId === '') {
      write.reject(new Error('A stream name is required'));
      return;
    }
    this.queue.push(write);
    this.queuedBytes += write.size;
    // During a sync the queue waits: the sync's end commits it (in batches of the same bounds).
    if (this.syncing) return;
    // Never re-entrantly (a commit listener that writes): listeners must see commits in order.
    if (!this.flushing && (this.queue.length >= MAX_BATCH_WRITES || this.queuedBytes >= MAX_BATCH_BYTES)) {
      this.flush();
    } else if (this.flushScheduled === undefined) {
      this.flushScheduled = setImmediate(() => {
        this.flushScheduled = undefined;
        this.flush();
      });
    }
  }

  /** Commits the queue (unless a sync is under way: its end does it) and starts the sync of what it committed. */
  private flush(): void {
    if (this.syncing || this.queue.length === 0) return;
    this.commitQueue();
    this.startSync();
  }

  private commitQueue(): void {
    this.flushing = true;
    try {
      while (this.queue.length > 0) this.commitAndSettle(this.takeBatch());
    } finally {
      this.flushing = false;
    }
  }

  /** The oldest queued writes, at most MAX_BATCH_WRITES of them and about MAX_BATCH_BYTES (at least one write). */
  private takeBatch(): PendingWrite[] {
    let count = 0;
    let bytes = 0;
    while (count < this.queue.length && count < MAX_BATCH_WRITES && (count === 0 || bytes + this.queue[count].size <= MAX_BATCH_BYTES)) {
      bytes += this.queue[count].size;
      count += 1;
    }
    const batch = this.queue.splice(0, count);
    this.queuedBytes -= bytes;
    return batch;
  }

  /** Commits one batch; in memory its callers are answered at once, on disk once its sync is done. */
  private commitAndSettle(batch: readonly PendingWrite[]): void {
    const written: StoredEvent[] = [];
    let outcomes: WriteOutcome[];
    try {
      outcomes = this.commitBatch(batch, BigInt(this.now().getTime()) * TICKS_PER_MS, written);
    } catch (error) {
      // The transaction rolled back; the in-memory index may hold some of its writes, so rebuild it from disk.
      this.reloadAfterFailure();
      const failure = isDiskFull(error) ? this.diskFull('write', error) : error;
      for (const write of batch) write.reject(failure);
      return;
    }
    this.spaceAgain();
    this.commits += 1;
    this.writes += batch.length;
    if (this.observer?.committed !== undefined) this.observer.committed(batch.length, countAppends(batch));
    const committed: Committed = { batch, outcomes, written };
    if (this.walFd === undefined) {
      this.durableHead = this.head;
      this.settle(committed);
    } else {
      this.unsynced.push(committed);
    }
  }

  private settle({ batch, outcomes, written }: Committed): void {
    if (written.length > 0) this.notify(written);
    batch.forEach((write, i) => {
      const outcome = outcomes[i];
      if ('error' in outcome) write.reject(outcome.error);
      else (write.resolve as (result: WriteResult) => void)(outcome.result);
    });
  }

  /** fdatasync of the WAL on the thread pool; no commit happens until it is done, so it covers every commit so far. */
  private startSync(): void {
    if (this.walFd === undefined || this.syncing || this.unsynced.length === 0) return;
    this.syncing = true;
    const covered = this.unsynced;
    this.unsynced = [];
    this.syncStarted = performance.now();
    if (this.takeFault('failSyncs')) {
      setImmediate(() => this.synced(covered, injectedSyncFailure()));
      return;
    }
    fs.fdatasync(this.walFd, (error) => this.synced(covered, error));
  }

  /** The same, blocking: at open and at close. */
  private syncNow(): void {
    if (this.walFd === undefined || this.unsynced.length === 0) return;
    const covered = this.unsynced;
    this.unsynced = [];
    this.syncing = true;
    this.syncStarted = performance.now();
    let failure: NodeJS.ErrnoException | null = null;
    try {
      if (this.takeFault('failSyncs')) throw injectedSyncFailure();
      fs.fdatasyncSync(this.walFd);
    } catch (error) {
      failure = error as NodeJS.ErrnoException;
    }
    this.synced(covered, failure);
  }

  private synced(covered: readonly Committed[], error: NodeJS.ErrnoException | null): void {
    this.syncing = false;
    this.observer?.synced?.((performance.now() - this.syncStarted) / 1000);
    if (error) {
      // After a failed fsync the kernel may have dropped the dirty pages: nothing committed since the
      // last good sync can be called durable, and retrying the sync proves nothing. Writes are refused;
      // a full disk is recovered from once space is freed (recoverFromFullDisk), any other failure is final.
      if (isDiskFull(error)) {
        this.failure = this.diskFull('sync', error);
      } else {
        this.failure = new Error(`The store could not sync its log ${this.logFile} to disk: ${error.message}`, { cause: error });
        process.emitWarning(describe(this.failure), 'StoreSyncError');
      }
      for (const { batch } of covered) for (const write of batch) write.reject(this.failure);
      for (const write of this.queue.splice(0)) write.reject(this.failure);
      this.queuedBytes = 0;
    } else {
      this.durableHead = this.head;
      this.unsyncedLastRevisions.clear();
      this.unsyncedMetadata.clear();
      for (const committed of covered) this.settle(committed);
    }
    for (const idle of this.syncIdle.splice(0)) idle();
    // What queued during the sync goes now, into the next sync.
    if (!this.closed) this.flush();
  }

  private notify(events: readonly StoredEvent[]): void {
    for (const listener of this.listeners) {
      try {
        listener(events);
      } catch (error) {
        // One subscriber's bug must neither fail the writers (their data is committed) nor starve other listeners.
        process.emitWarning(`A commit listener threw: ${describe(error)}`, 'CommitListenerError');
      }
    }
  }

  private takeFault(kind: keyof StorageFaults): boolean {
    const faults = this.options.faults;
    if (faults === undefined || faults[kind] <= 0) return false;
    faults[kind] -= 1;
    return true;
  }

  /** The error for a write or sync that failed for want of space; the log hears of it when the episode starts. */
  private diskFull(operation: 'write' | 'sync', cause: unknown): StorageFullError {
    const error = new StorageFullError(this.logFile, operation, cause);
    if (this.full === undefined) process.emitWarning(error.message, 'StoreFullWarning');
    this.full = error;
    return error;
  }

  private spaceAgain(): void {
    if (this.full === undefined) return;
    this.full = undefined;
    process.emitWarning(`The store writes ${this.logFile} again: space was freed`, 'StoreFullWarning');
  }

  /**
   * After a sync failed for want of space, the commits since the last good sync are in doubt: their
   * pages may never reach the disk, and a WAL frame lost in the middle would make SQLite discard every
   * frame after it on the next open. So the doubtful events (never acknowledged, never shown to a
   * reader or listener) are deleted, and a TRUNCATE checkpoint rewrites the database file from
   * SQLite's view, syncs it and restarts the WAL: no frame of the failed sync is needed any more.
   * While the disk is still full this fails and the writes keep being refused.
   */
  private recoverFromFullDisk(): boolean {
    if (!(this.failure instanceof StorageFullError) || this.syncing) return false;
    try {
      if (this.takeFault('failWrites')) throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
      this.db.prepare('DELETE FROM events WHERE position > ?').run(this.durableHead);
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
      if (result.busy !== 0 || result.log !== 0) return false;
    } catch {
      // Still no space (or the file still failing): the writes stay refused with the full-disk error.
      return false;
    }
    this.loadState();
    this.durableHead = this.head;
    this.unsyncedLastRevisions.clear();
    this.unsyncedMetadata.clear();
    this.failure = undefined;
    this.spaceAgain();
    return true;
  }

  private reloadAfterFailure(): void {
    try {
      this.loadState();
    } catch (error) {
      process.emitWarning(`Rebuilding the store index after a failed commit failed: ${describe(error)}`, 'StoreReloadError');
    }
  }

  private apply(write: PendingWrite, created: bigint, written: StoredEvent[]): WriteResult {
    switch (write.kind) {
      case 'append':
        return this.applyAppend(write.streamId, write.expected, write.events, created, written);
      case 'delete':
        return this.applyDelete(write.streamId, write.expected, false, created, written);
      case 'tombstone':
        return this.applyDelete(write.streamId, write.expected, true, created, written);
      default: {
        const unknown: never = write;
        throw new Error(`Unknown write ${JSON.stringify(unknown)}`);
      }
    }
  }

  private applyAppend(streamId: string, expected: ExpectedRevision, events: readonly ProposedEvent[], created: bigint, written: StoredEvent[]): AppendResult {
    const facts = this.factsFor(streamId);
    const decision = checkCommit(
      facts,
      expectedVersionCode(expected),
      events.map((event) => event.id),
    );
    switch (decision.kind) {
      case 'deleted':
        return { outcome: 'stream_deleted' };
      case 'wrong_expected_version':
        return { outcome: 'wrong_expected_version', current: toCurrent(facts.current), expected };
      case 'idempotent':
        return { outcome: 'ok', currentRevision: decision.lastRevision, position: decision.position };
      case 'ok': {
        // Evaluated before the write, as a real node does: metadata written to the metastream of a
        // soft-deleted stream undeletes that stream.
        const original = originalStreamOf(streamId);
        const undeletesOriginal = isMetastream(streamId) && isSoftDeleted(this.metadata.get(original));
        let revision = facts.current;
        let position = 0n;
        for (const event of events) {
          revision += 1n;
          position = this.writeEvent(streamId, revision, event, created, written);
        }
        // A real node undeletes after writing the events (StorageWriterService.SoftUndeleteStream /
        // SoftUndeleteMetastream): the latest metadata again, with `$tb` at the first new revision.
        if (decision.softDeleted) this.writeUndelete(streamId, facts.current + 1n, created, written);
        if (undeletesOriginal) this.writeUndelete(original, (this.lastRevisions.get(original) ?? -1n) + 1n, created, written);
        if (events.length === 0) return { outcome: 'ok', currentRevision: toCurrent(facts.current), position: undefined };
        return { outcome: 'ok', currentRevision: revision, position };
      }
      default: {
        const unknown: never = decision;
        throw new Error(`Unknown decision ${JSON.stringify(unknown)}`);
      }
    }
  }

  private applyDelete(streamId: string, expected: ExpectedRevision, hard: boolean, created: bigint, written: StoredEvent[]): DeleteResult {
    const facts = this.factsFor(streamId);
    // A delete carries a fresh id, so it is never taken for an idempotent retry.
    const decision = checkCommit(facts, expectedVersionCode(expected), [randomUUID()]);
    switch (decision.kind) {
      case 'deleted':
        return { outcome: 'stream_deleted' };
      case 'wrong_expected_version':
        return { outcome: 'wrong_expected_version', current: toCurrent(facts.current), expected };
      case 'idempotent':
        return { outcome: 'ok', position: decision.position };
      case 'ok': {
        if (!hard) {
          // A real node refuses to soft-delete a stream that never existed, neither it nor its
          // metastream (StorageWriterService, WriteDelete).
          if (facts.current < 0n && facts.metastreamCurrent < 0n) {
            return { outcome: 'wrong_expected_version', current: 'no_stream', expected };
          }
          return { outcome: 'ok', position: this.writeMetadata(streamId, softDeleteMetadata(), created, written) };
        }
        const tombstone: ProposedEvent = {
          id: randomUUID(),
          type: STREAM_DELETED_EVENT_TYPE,
          isJson: false,
          data: EMPTY,
          metadata: EMPTY,
        };
        return { outcome: 'ok', position: this.writeEvent(streamId, DELETED_STREAM_REVISION, tombstone, created, written) };
      }
      default: {
        const unknown: never = decision;
        throw new Error(`Unknown decision ${JSON.stringify(unknown)}`);
      }
    }
  }

  private writeUndelete(streamId: string, firstNewRevision: bigint, created: bigint, written: StoredEvent[]): void {
    const data = undeleteMetadata(this.metadata.get(streamId), firstNewRevision);
    if (data !== undefined) this.writeMetadata(streamId, data, created, written);
  }

  private writeMetadata(streamId: string, data: Buffer, created: bigint, written: StoredEvent[]): bigint {
    const metastream = metastreamOf(streamId);
    const event: ProposedEvent = { id: randomUUID(), type: METADATA_EVENT_TYPE, isJson: true, data, metadata: EMPTY };
    return this.writeEvent(metastream, (this.lastRevisions.get(metastream) ?? -1n) + 1n, event, created, written);
  }

  /** Inserts one event inside the open transaction and brings the in-memory index up to date. */
  private writeEvent(streamId: string, revision: bigint, event: ProposedEvent, created: bigint, written: StoredEvent[]): bigint {
    const position = this.head + 1n;
    const data = asBuffer(event.data);
    const metadata = asBuffer(event.metadata);
    this.insertEvent.run(position, streamId, revision, event.id, event.type, event.isJson ? 1 : 0, data, metadata, created);
    this.head = position;
    if (this.walFd !== undefined && !this.unsyncedLastRevisions.has(streamId)) {
      this.unsyncedLastRevisions.set(streamId, this.lastRevisions.get(streamId));
    }
    this.lastRevisions.set(streamId, revision);
    if (revision !== DELETED_STREAM_REVISION) {
      this.remember(event.id, { streamId, revision, position });
      if (isMetastream(streamId)) {
        const original = originalStreamOf(streamId);
        if (this.walFd !== undefined && !this.unsyncedMetadata.has(original)) this.unsyncedMetadata.set(original, this.metadata.get(original));
        this.metadata.set(original, parseMetadata(data));
      }
    }
    written.push({ streamId, revision, position, id: event.id, type: event.type, isJson: event.isJson, data, metadata, created });
    return position;
  }

  /**
   * Remembers the newest RECENT_EVENT_IDS event ids. Eviction goes through a ring of the ids in
   * write order: asking a Map for its oldest key would scan past every deleted entry, which grows
   * with each eviction until the Map rehashes.
   */
  private remember(eventId: string, event: RecentEvent): void {
    const slot = this.recentCount % RECENT_EVENT_IDS;
    const evicted = this.recentRing[slot];
    if (evicted !== undefined && this.recent.get(evicted.eventId)?.position === evicted.position) {
      this.recent.delete(evicted.eventId);
    }
    this.recentRing[slot] = { eventId, position: event.position };
    this.recentCount += 1;
    this.recent.set(eventId, event);
  }

  private factsFor(streamId: string): CommitCheckFacts {
    return {
      streamId,
      current: this.currentRevision(streamId),
      metastreamCurrent: this.lastRevisions.get(metastreamOf(streamId)) ?? -1n,
      softDeleted: isSoftDeleted(this.rulesOf(streamId)),
      recentEvent: (eventId) => this.recent.get(eventId),
      eventAt: (revision) => {
        const row = this.selectEventAt.get(streamId, revision) as [string, bigint, Buffer] | undefined;
        return row === undefined ? undefined : { id: row[0], position: row[1] };
      },
    };
  }

  /** Last revision as the write rules see it: tombstoning a stream also closes its metastream. */
  private currentRevision(streamId: string): bigint {
    if (this.tombstonedIn(streamId, (id) => this.lastRevisions.get(id))) return DELETED_STREAM_REVISION;
    return this.lastRevisions.get(streamId) ?? -1n;
  }

  private rulesOf(streamId: string): StreamMetadataRules | undefined {
    return isMetastream(streamId) ? METASTREAM_RULES : this.metadata.get(streamId);
  }

  private tombstonedIn(streamId: string, lastOf: (streamId: string) => bigint | undefined): boolean {
    const original = originalStreamOf(streamId);
    return lastOf(original) === DELETED_STREAM_REVISION || lastOf(metastreamOf(original)) === DELETED_STREAM_REVISION;
  }

  // ---------------------------------------------------------------- reads (what is on disk)

  private durableLast(streamId: string): bigint | undefined {
    return this.unsyncedLastRevisions.has(streamId) ? this.unsyncedLastRevisions.get(streamId) : this.lastRevisions.get(streamId);
  }

  private durableRules(streamId: string): StreamMetadataRules | undefined {
    if (isMetastream(streamId)) return METASTREAM_RULES;
    return this.unsyncedMetadata.has(streamId) ? this.unsyncedMetadata.get(streamId) : this.metadata.get(streamId);
  }

  isTombstoned(streamId: string): boolean {
    return this.tombstonedIn(streamId, (id) => this.durableLast(id));
  }

  headPosition(): bigint {
    return this.durableHead;
  }

  readStream(streamId: string, from: StreamFrom, direction: Direction, maxCount: bigint): StreamReadResult {
    if (this.isTombstoned(streamId)) return { outcome: 'deleted' };
    const last = this.durableLast(streamId);
    const rules = this.durableRules(streamId);
    if (last === undefined || isSoftDeleted(rules)) return { outcome: 'not_found' };
    const first = firstVisibleRevision(rules, last);
    const oldestCreated =
      rules?.maxAge === undefined ? undefined : BigInt(this.now().getTime()) * TICKS_PER_MS - BigInt(Math.trunc(rules.maxAge)) * TICKS_PER_SECOND;
    if (direction === 'forwards') {
      if (from === 'end') return { outcome: 'ok', events: NO_EVENTS };
      const start = from === 'start' || from < first ? first : from;
      return { outcome: 'ok', events: this.pageStreamForwards(streamId, start, last, maxCount, oldestCreated) };
    }
    // Events after `last` may be committed but not yet on disk.
    const start = from === 'start' ? 0n : from === 'end' || from > last ? last : from;
    if (start < first) return { outcome: 'ok', events: NO_EVENTS };
    return { outcome: 'ok', events: this.pageStreamBackwards(streamId, start, first, maxCount, oldestCreated) };
  }

  private *pageStreamForwards(streamId: string, start: bigint, last: bigint, maxCount: bigint, oldestCreated: bigint | undefined): Generator<StoredEvent> {
    let next = start;
    let remaining = maxCount;
    // Up to the last revision on disk when the read began; the tombstone (at int64 max) is never returned.
    const end = last < DELETED_STREAM_REVISION ? last + 1n : DELETED_STREAM_REVISION;
    while (remaining > 0n) {
      const limit = remaining < BigInt(PAGE_SIZE) ? Number(remaining) : PAGE_SIZE;
      const rows = this.selectStreamForwards.all(streamId, next, end, limit) as EventRow[];
      for (const row of rows) {
        next = row[2] + 1n;
        if (oldestCreated !== undefined && row[8] < oldestCreated) continue;
        yield toStoredEvent(row);
        remaining -= 1n;
      }
      if (rows.length < limit) return;
    }
  }

  private *pageStreamBackwards(streamId: string, start: bigint, first: bigint, maxCount: bigint, oldestCreated: bigint | undefined): Generator<StoredEvent> {
    let next = start;
    let remaining = maxCount;
    while (remaining > 0n && next >= first) {
      const limit = remaining < BigInt(PAGE_SIZE) ? Number(remaining) : PAGE_SIZE;
      const rows = this.selectStreamBackwards.all(streamId, next, first, limit) as EventRow[];
      for (const row of rows) {
        next = row[2] - 1n;
        if (oldestCreated !== undefined && row[8] < oldestCreated) continue;
        yield toStoredEvent(row);
        remaining -= 1n;
      }
      if (rows.length < limit) return;
    }
  }

  readAll(from: AllFrom, direction: Direction, maxCount: bigint): Iterable<StoredEvent> {
    if (direction === 'forwards') return from === 'end' ? NO_EVENTS : this.pageAllForwards(from === 'start' ? 0n : from, maxCount);
    return from === 'start' ? NO_EVENTS : this.pageAllBackwards(from === 'end' ? this.durableHead + 1n : from, maxCount);
  }

  private *pageAllForwards(start: bigint, maxCount: bigint): Generator<StoredEvent> {
    let next = start;
    let remaining = maxCount;
    while (remaining > 0n) {
      const limit = remaining < BigInt(PAGE_SIZE) ? Number(remaining) : PAGE_SIZE;
      // Each page up to what is on disk by then: a read ends at the durable head as of its last page.
      const rows = this.selectAllForwards.all(next, this.durableHead, limit) as EventRow[];
      for (const row of rows) yield toStoredEvent(row);
      if (rows.length < limit) return;
      next = rows[rows.length - 1][0] + 1n;
      remaining -= BigInt(rows.length);
    }
  }

  private *pageAllBackwards(before: bigint, maxCount: bigint): Generator<StoredEvent> {
    let next = before <= this.durableHead ? before : this.durableHead + 1n;
    let remaining = maxCount;
    while (remaining > 0n) {
      const limit = remaining < BigInt(PAGE_SIZE) ? Number(remaining) : PAGE_SIZE;
      const rows = this.selectAllBackwards.all(next, limit) as EventRow[];
      for (const row of rows) yield toStoredEvent(row);
      if (rows.length < limit) return;
      next = rows[rows.length - 1][0];
      remaining -= BigInt(rows.length);
    }
  }

  // ---------------------------------------------------------------- lifecycle

  onCommit(listener: CommitListener): () => void {
    // Wrapped so that the same function registered twice gets two deliveries and two unsubscribes.
    const registered: CommitListener = (events) => listener(events);
    this.listeners.add(registered);
    return () => {
      this.listeners.delete(registered);
    };
  }

  stats(): SqliteEngineStats {
    return { commits: this.commits, writes: this.writes };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Writes already queued are still committed and synced; later ones are refused.
    this.closed = true;
    if (this.flushScheduled !== undefined) clearImmediate(this.flushScheduled);
    this.flushScheduled = undefined;
    if (this.syncing) await new Promise<void>((resolve) => this.syncIdle.push(resolve));
    if (this.failure === undefined) {
      this.commitQueue();
      this.syncNow();
    }
    this.listeners.clear();
    if (this.walFd !== undefined) fs.closeSync(this.walFd);
    this.db.close();
  }

  /** Rebuilds every in-memory index from the file. */
  private loadState(): void {
    this.lastRevisions.clear();
    this.metadata.clear();
    this.recent.clear();
    this.recentRing.length = 0;
    this.recentCount = 0;
    const streams = this.db.prepare('SELECT stream, MAX(revision) FROM events GROUP BY stream').raw(true).safeIntegers(true).all() as [string, bigint][];
    for (const [streamId, last] of streams) this.lastRevisions.set(streamId, last);
    const head = this.db.prepare('SELECT MAX(position) FROM events').pluck(true).safeIntegers(true).get() as bigint | null;
    this.head = head ?? 0n;
    // On open everything in the file counts as durable; after a failed transaction nothing newer than before is.
    if (this.durableHead > this.head || this.walFd === undefined) this.durableHead = this.head;
    for (const [streamId, last] of this.lastRevisions) {
      if (!isMetastream(streamId) || last === DELETED_STREAM_REVISION) continue;
      const row = this.selectEventAt.get(streamId, last) as [string, bigint, Buffer];
      this.metadata.set(originalStreamOf(streamId), parseMetadata(row[2]));
    }
    const recentRows = this.db
      .prepare(`SELECT event_id, stream, revision, position FROM events WHERE revision < ? ORDER BY position DESC LIMIT ?`)
      .raw(true)
      .safeIntegers(true)
      .all(DELETED_STREAM_REVISION, RECENT_EVENT_IDS) as [string, string, bigint, bigint][];
    for (let i = recentRows.length - 1; i >= 0; i -= 1) {
      const [eventId, streamId, revision, position] = recentRows[i];
      this.remember(eventId, { streamId, revision, position });
    }
  }

  /** The start-up writes of a real node (see system-events.ts), committed before the engine is handed out. */
  writeStartupEvents(): void {
    const writes: StartupWrite[] = [];
    const epochs = this.lastRevisions.get(EPOCH_INFORMATION_STREAM);
    let prevEpochPosition = -1n;
    if (epochs !== undefined) {
      const previous = this.selectEventAt.get(EPOCH_INFORMATION_STREAM, epochs) as [string, bigint, Buffer];
      prevEpochPosition = previous[1];
    }
    writes.push(
      epochInformationWrite({
        epochNumber: (epochs ?? -1n) + 1n,
        epochPosition: this.head + 1n,
        prevEpochPosition,
        timeStamp: this.now(),
        leaderInstanceId: randomUUID(),
      }),
    );
    if (!this.lastRevisions.has(metastreamOf(SCAVENGES_STREAM))) writes.push(scavengesMetadataWrite());
    const failures: unknown[] = [];
    for (const { streamId, event } of writes) {
      this.enqueue({
        kind: 'append',
        streamId,
        expected: { kind: 'any' },
        events: [event],
        size: 0,
        resolve: () => undefined,
        reject: (error) => failures.push(error),
      });
    }
    if (this.flushScheduled !== undefined) clearImmediate(this.flushScheduled);
    this.flushScheduled = undefined;
    this.commitQueue();
    this.syncNow();
    if (failures.length > 0) throw failures[0];
  }
}

/** What fdatasync reports on a full disk (e.g. delayed allocation failing at writeback). */
function injectedSyncFailure(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, fdatasync'), { code: 'ENOSPC', errno: -28, syscall: 'fdatasync' });
}

/** Opens (creating if needed) the store and writes the start-up system events; the engine is ready on return. */
function countAppends(batch: readonly PendingWrite[]): number {
  let appends = 0;
  for (const write of batch) if (write.kind === 'append') appends += 1;
  return appends;
}

export function openSqliteEngine(options: SqliteEngineOptions = {}): SqliteStorageEngine {
  const db = openDatabase(options);
  const file = options.memory ? undefined : databaseFile(options.dataDir!);
  try {
    const engine = new SqliteEngine(db, options, file === undefined ? undefined : file + WAL_SUFFIX);
    engine.writeStartupEvents();
    // The WAL's and the database's directory entries, once: syncing a file does not sync its name.
    if (file !== undefined) syncFile(path.dirname(file));
    return engine;
  } catch (error) {
    db.close();
    // Reading the whole log back is where damage past the header shows (SQLITE_CORRUPT).
    throw file === undefined ? error : openFailure(file, error);
  }
}
