/**
 * The expected-revision and idempotency decision of a real node, mirrored from
 * EventStoreDB's `IndexWriter.CheckCommit` (src/EventStore.Core/Services/Storage/ReaderIndex/IndexWriter.cs).
 *
 * It is a pure function of what the engine knows about the stream at the moment of the write
 * (including earlier writes of the same group commit), so every append, delete and tombstone goes
 * through the same rules.
 */
import type { ExpectedRevision } from './storage.types';
import { DELETED_STREAM_REVISION } from './stream-metadata';

/** The integer codes a real node uses for expected versions (they also appear in the `expected-version` trailer). */
export const EXPECTED_ANY = -2n;
export const EXPECTED_NO_STREAM = -1n;
export const EXPECTED_STREAM_EXISTS = -4n;

export function expectedVersionCode(expected: ExpectedRevision): bigint {
  switch (expected.kind) {
    case 'any':
      return EXPECTED_ANY;
    case 'no_stream':
      return EXPECTED_NO_STREAM;
    case 'stream_exists':
      return EXPECTED_STREAM_EXISTS;
    case 'exact':
      return expected.revision;
    default: {
      const unknown: never = expected;
      throw new Error(`Unknown expected revision ${JSON.stringify(unknown)}`);
    }
  }
}

export type CommitDecision =
  /** Write at current + 1; `softDeleted` means the write recreates a soft-deleted stream. */
  | { readonly kind: 'ok'; readonly softDeleted: boolean }
  /** Every event id is already written at this place: acknowledge the earlier write, write nothing. */
  | { readonly kind: 'idempotent'; readonly lastRevision: bigint; readonly position: bigint }
  | { readonly kind: 'wrong_expected_version' }
  | { readonly kind: 'deleted' };

/** A recently written event, as a real node's committed-events cache remembers it. */
export interface RecentEvent {
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: bigint;
}

export interface CommitCheckFacts {
  readonly streamId: string;
  /** Last revision of the stream (soft-deleted events count), -1 if none, DELETED_STREAM_REVISION if tombstoned. */
  readonly current: bigint;
  /** Last revision of the stream's metastream, -1 if none. */
  readonly metastreamCurrent: bigint;
  readonly softDeleted: boolean;
  recentEvent(eventId: string): RecentEvent | undefined;
  eventAt(revision: bigint): { readonly id: string; readonly position: bigint } | undefined;
}

export function checkCommit(facts: CommitCheckFacts, expected: bigint, eventIds: readonly string[]): CommitDecision {
  const { current, softDeleted } = facts;
  if (current === DELETED_STREAM_REVISION) return { kind: 'deleted' };

  if (expected === EXPECTED_STREAM_EXISTS) {
    // A real node answers stream-deleted here, not wrong-expected-version.
    if (softDeleted) return { kind: 'deleted' };
    if (current < 0n && facts.metastreamCurrent < 0n) return { kind: 'wrong_expected_version' };
  }

  if (expected === EXPECTED_ANY || expected === EXPECTED_STREAM_EXISTS) {
    // Idempotency by event id among recently written events of this stream.
    let last: RecentEvent | undefined;
    for (const id of eventIds) {
      const recent = facts.recentEvent(id);
      if (recent === undefined || recent.streamId !== facts.streamId) {
        // A partial match is "corrupted idempotency", which a real node answers with wrong expected version.
        return last === undefined ? { kind: 'ok', softDeleted } : { kind: 'wrong_expected_version' };
      }
      last = recent;
    }
    if (last === undefined) return { kind: 'ok', softDeleted };
    return { kind: 'idempotent', lastRevision: last.revision, position: last.position };
  }

  if (expected < current) {
    // Idempotency by position: the same ids already stand right after the expected revision.
    let revision = expected;
    let position = 0n;
    for (const id of eventIds) {
      revision += 1n;
      const existing = facts.eventAt(revision);
      if (existing !== undefined && existing.id === id) {
        position = existing.position;
        continue;
      }
      if (revision !== expected + 1n) return { kind: 'wrong_expected_version' };
      // `no_stream` on a soft-deleted stream recreates it.
      if (expected === EXPECTED_NO_STREAM && softDeleted) return { kind: 'ok', softDeleted: true };
      return { kind: 'wrong_expected_version' };
    }
    if (revision === expected) return { kind: 'wrong_expected_version' };
    return { kind: 'idempotent', lastRevision: revision, position };
  }

  if (expected > current) return { kind: 'wrong_expected_version' };
  return { kind: 'ok', softDeleted };
}
