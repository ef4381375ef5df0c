import { auditTrace } from './fsync-audit';

// Given an strace log of the store, the audit names every answer sent while the WAL
// still held writes that no fsync had covered.

const wal = (thread: number, call: string): string => `${thread}  06:38:40.488568 ${call}(18</data/store.sqlite-wal>, "...", 24, 4152) = 24`;
const sync = (thread: number): string => `${thread}  06:38:40.489632 fdatasync(19</data/store.sqlite-wal>) = 0`;
const answer = (thread: number): string => `${thread}  06:38:40.490660 writev(22<socket:[207061]>, [{iov_base="..."}], 2) = 76`;

describe('fsync audit', () => {
  it('accepts answers sent after the sync of the WAL, also when the sync runs on another thread', () => {
    const result = auditTrace([
      wal(1055, 'pwrite64'),
      wal(1055, 'pwrite64'),
      `1062  06:38:40.489000 fdatasync(19</data/store.sqlite-wal> <unfinished ...>`,
      `1062  06:38:40.489632 <... fdatasync resumed>) = 0`,
      answer(1055),
      wal(1055, 'pwrite64'),
      sync(1063),
      answer(1055),
    ]);

    expect(result).toEqual({ walWrites: 3, walSyncs: 2, socketWrites: 2, early: [] });
  });

  it('reports an answer sent before the WAL write it follows was synced', () => {
    const result = auditTrace([wal(1055, 'pwrite64'), sync(1062), wal(1055, 'pwrite64'), answer(1055), sync(1062)]);

    expect(result.early).toHaveLength(1);
    expect(result.early[0]).toContain('writev(22<socket');
  });

  it('does not count a failed sync, nor the store writing its connection string on stdout', () => {
    const result = auditTrace([
      wal(1055, 'pwrite64'),
      `1055  06:38:40.451091 write(1<socket:[207035]>, "connectionString=esdb://127.0.0."..., 50) = 50`,
      `1062  06:38:40.489632 fdatasync(19</data/store.sqlite-wal>) = -1 EIO (Input/output error)`,
      answer(1055),
    ]);

    expect(result.walSyncs).toBe(0);
    expect(result.socketWrites).toBe(1);
    expect(result.early).toHaveLength(1);
  });
});
