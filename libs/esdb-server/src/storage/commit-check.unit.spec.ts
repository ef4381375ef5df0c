import { EXPECTED_ANY, EXPECTED_NO_STREAM, EXPECTED_STREAM_EXISTS, checkCommit, type CommitCheckFacts, type RecentEvent } from './commit-check';
import { DELETED_STREAM_REVISION } from './stream-metadata';

/** A stream whose events are ids `e0`, `e1`, … at positions 100, 101, …. */
function stream(lastRevision: number, overrides: Partial<CommitCheckFacts> = {}): CommitCheckFacts {
  const ids = Array.from({ length: lastRevision + 1 }, (_, i) => `e${i}`);
  return {
    streamId: 'story-1',
    current: BigInt(lastRevision),
    metastreamCurrent: -1n,
    softDeleted: false,
    recentEvent: (id): RecentEvent | undefined => {
      const i = ids.indexOf(id);
      return i < 0 ? undefined : { streamId: 'story-1', revision: BigInt(i), position: BigInt(100 + i) };
    },
    eventAt: (revision) => (revision < ids.length ? { id: ids[Number(revision)], position: BigInt(100) + revision } : undefined),
    ...overrides,
  };
}

it('refuses every write to a tombstoned stream as deleted', () => {
  expect(checkCommit(stream(2, { current: DELETED_STREAM_REVISION }), EXPECTED_ANY, ['x'])).toEqual({ kind: 'deleted' });
});

it('lets stream_exists through on a stream that has metadata but no events, as a real node does', () => {
  expect(checkCommit(stream(-1, { metastreamCurrent: 0n }), EXPECTED_STREAM_EXISTS, ['x'])).toEqual({ kind: 'ok', softDeleted: false });
  expect(checkCommit(stream(-1), EXPECTED_STREAM_EXISTS, ['x'])).toEqual({ kind: 'wrong_expected_version' });
});

it('recognises a retry by ids with any, and refuses a partial one', () => {
  expect(checkCommit(stream(2), EXPECTED_ANY, ['e1', 'e2'])).toEqual({ kind: 'idempotent', lastRevision: 2n, position: 102n });
  expect(checkCommit(stream(2), EXPECTED_ANY, ['e2', 'new'])).toEqual({ kind: 'wrong_expected_version' });
  expect(checkCommit(stream(2), EXPECTED_ANY, ['new', 'e2'])).toEqual({ kind: 'ok', softDeleted: false });
});

it('recognises a retry by position with an exact revision or no_stream', () => {
  expect(checkCommit(stream(2), 0n, ['e1'])).toEqual({ kind: 'idempotent', lastRevision: 1n, position: 101n });
  expect(checkCommit(stream(2), EXPECTED_NO_STREAM, ['e0', 'e1', 'e2'])).toEqual({ kind: 'idempotent', lastRevision: 2n, position: 102n });
  expect(checkCommit(stream(2), 0n, ['e1', 'other'])).toEqual({ kind: 'wrong_expected_version' });
  expect(checkCommit(stream(2), 0n, [])).toEqual({ kind: 'wrong_expected_version' });
});

it('lets no_stream recreate a soft-deleted stream, and tells the caller it was soft-deleted', () => {
  expect(checkCommit(stream(2, { softDeleted: true }), EXPECTED_NO_STREAM, ['new'])).toEqual({ kind: 'ok', softDeleted: true });
  expect(checkCommit(stream(2, { softDeleted: true }), 2n, ['new'])).toEqual({ kind: 'ok', softDeleted: true });
  expect(checkCommit(stream(2, { softDeleted: true }), EXPECTED_STREAM_EXISTS, ['new'])).toEqual({ kind: 'deleted' });
});
