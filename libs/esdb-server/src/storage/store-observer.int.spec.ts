// The engine tells its observer of each group commit and each sync: concurrent appends
// share commits (the batch sizes add up to the writes), and a durable store times its syncs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openSqliteEngine, type SqliteStorageEngine } from './sqlite-engine';
import { jsonEvent } from './test-fixtures/engine-fixtures';

let workDir: string;
let engine: SqliteStorageEngine | undefined;

beforeEach(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'esdb-engine-observer-'));
});

afterEach(async () => {
  await engine?.close();
  engine = undefined;
  fs.rmSync(workDir, { recursive: true, force: true });
});

function observed() {
  const commits: { writes: number; appends: number }[] = [];
  const syncs: number[] = [];
  return {
    commits,
    syncs,
    observer: { committed: (writes: number, appends: number) => commits.push({ writes, appends }), synced: (seconds: number) => syncs.push(seconds) },
  };
}

it('given 40 concurrent appends on disk, then the commits the observer hears hold all 40 appends, and each sync is timed', async () => {
  const seen = observed();
  engine = openSqliteEngine({ dataDir: path.join(workDir, 'data'), observer: seen.observer });
  const before = { commits: seen.commits.length, syncs: seen.syncs.length };

  await Promise.all(Array.from({ length: 40 }, (_, i) => engine!.append(`story-${i}`, { kind: 'no_stream' }, [jsonEvent()])));

  const commits = seen.commits.slice(before.commits);
  expect(commits.reduce((sum, c) => sum + c.appends, 0)).toBe(40);
  expect(commits.reduce((sum, c) => sum + c.writes, 0)).toBe(40);
  // Group commit: forty writes queued in one turn do not make forty commits.
  expect(commits.length).toBeLessThan(40);
  const syncs = seen.syncs.slice(before.syncs);
  expect(syncs.length).toBeGreaterThanOrEqual(1);
  for (const seconds of syncs) expect(seconds).toBeGreaterThanOrEqual(0);
});

it('given a store in memory, then commits are heard and no sync is', async () => {
  const seen = observed();
  engine = openSqliteEngine({ memory: true, observer: seen.observer });
  await engine.append('story-m', { kind: 'no_stream' }, [jsonEvent()]);
  await engine.delete('story-m', { kind: 'any' });

  expect(seen.commits.slice(-2)).toEqual([
    { writes: 1, appends: 1 },
    { writes: 1, appends: 0 },
  ]);
  expect(seen.syncs).toEqual([]);
});
