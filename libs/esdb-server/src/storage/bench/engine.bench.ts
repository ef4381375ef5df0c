/**
 * Micro-benchmark of the embedded store's storage engine alone (no gRPC, no client), on disk (WAL,
 * every acknowledged write synced), in a temporary directory. Prints figures; asserts nothing.
 *
 *   npm run bench:engine [-- --events 1000000]
 *
 * The engine has to be far faster than the targets through gRPC and the client (50 concurrent
 * single-event appenders: 10,000 events/s; readAll: 40,000 events/s).
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openSqliteEngine, type SqliteStorageEngine } from '../sqlite-engine';
import type { ProposedEvent } from '../storage.types';

const readAllEvents = Number(argument('--events') ?? 1_000_000);
const payload = Buffer.from(JSON.stringify({ sourceId: 'source-1', kind: 'anonymous', description: 'four people familiar with the matter', count: 4 }));

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function event(): ProposedEvent {
  return { id: randomUUID(), type: 'SourceCited', isJson: true, data: payload, metadata: new Uint8Array(0) };
}

function report(label: string, events: number, startedAt: bigint, extra = ''): void {
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const rate = Math.round(events / seconds).toLocaleString('en-US');
  console.log(`${label.padEnd(48)} ${rate.padStart(12)} events/s  (${events.toLocaleString('en-US')} in ${seconds.toFixed(2)} s)${extra}`);
}

async function appenders(engine: SqliteStorageEngine, writers: number, appendsEach: number, eventsPerAppend: number, label: string): Promise<void> {
  const commitsBefore = engine.stats().commits;
  const startedAt = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const streamId = `bench-${label}-${w}`;
      let current = -1n;
      for (let i = 0; i < appendsEach; i += 1) {
        const expected = current < 0n ? ({ kind: 'no_stream' } as const) : ({ kind: 'exact', revision: current } as const);
        const result = await engine.append(streamId, expected, Array.from({ length: eventsPerAppend }, event));
        if (result.outcome !== 'ok' || result.currentRevision === 'no_stream') throw new Error(`append failed: ${result.outcome}`);
        current = result.currentRevision;
      }
    }),
  );
  const commits = engine.stats().commits - commitsBefore;
  const events = writers * appendsEach * eventsPerAppend;
  report(`append: ${writers} writer(s) × ${eventsPerAppend}-event appends`, events, startedAt, `, ${(events / commits).toFixed(1)} events per commit`);
}

async function fill(engine: SqliteStorageEngine, total: number): Promise<void> {
  const startedAt = process.hrtime.bigint();
  let written = 0;
  while (written < total) {
    const batch = Math.min(1000, total - written);
    await engine.append(`bench-fill-${written % 100}`, { kind: 'any' }, Array.from({ length: batch }, event));
    written += batch;
  }
  report('fill: 1,000-event appends, 1 writer', total, startedAt);
}

function readAll(engine: SqliteStorageEngine, direction: 'forwards' | 'backwards'): void {
  const startedAt = process.hrtime.bigint();
  let count = 0;
  let bytes = 0;
  for (const stored of engine.readAll(direction === 'forwards' ? 'start' : 'end', direction, BigInt(Number.MAX_SAFE_INTEGER))) {
    count += 1;
    bytes += stored.data.byteLength;
  }
  report(`readAll ${direction}`, count, startedAt, `, ${(bytes / 1e6).toFixed(0)} MB of data`);
}

function readStream(engine: SqliteStorageEngine, streamId: string): void {
  const startedAt = process.hrtime.bigint();
  const result = engine.readStream(streamId, 'start', 'forwards', BigInt(Number.MAX_SAFE_INTEGER));
  if (result.outcome !== 'ok') throw new Error(result.outcome);
  let count = 0;
  for (const _stored of result.events) count += 1;
  report(`readStream forwards (${streamId})`, count, startedAt);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esdb-engine-bench-'));
  try {
    console.log(`engine on disk in ${dir} (WAL, each write synced before it is acknowledged), node ${process.version}, ${os.cpus().length} CPUs`);
    let engine = openSqliteEngine({ dataDir: dir });
    await appenders(engine, 1, 2_000, 1, 'single');
    await appenders(engine, 50, 400, 1, 'fifty');
    await appenders(engine, 1, 1_000, 10, 'ten');
    await appenders(engine, 50, 40, 10, 'fifty-ten');
    await fill(engine, Math.max(0, readAllEvents - Number(engine.headPosition())));
    await engine.close();

    let startedAt = process.hrtime.bigint();
    engine = openSqliteEngine({ dataDir: dir });
    report('reopen (index rebuilt from disk)', Number(engine.headPosition()), startedAt);
    readAll(engine, 'forwards');
    readAll(engine, 'backwards');
    readStream(engine, 'bench-fill-0');
    startedAt = process.hrtime.bigint();
    await engine.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
