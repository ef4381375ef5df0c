/**
 * Crash safety of the engine itself: a child process appends through the real engine and prints
 * each acknowledgement; it is SIGKILLed at a random moment, a few rounds in a row. After each kill
 * the store must open, hold every acknowledged event where it was acknowledged, and have no gap,
 * duplicate or torn append in any stream or in `$all`. (The gRPC-level crash test of the whole
 * store lives with the store app.)
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openSqliteEngine } from './sqlite-engine';
import { allEvents, text } from './test-fixtures/engine-fixtures';

interface Ack {
  readonly streamId: string;
  readonly ids: string[];
  readonly lastRevision: string;
  readonly position: string;
}

const ROUNDS = 4;
const WRITERS = 8;
const FIXTURE = path.join(__dirname, 'test-fixtures', 'crash-appender.fixture.ts');

let workDir: string;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'esdb-engine-crash-'));
});

afterAll(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

/** Runs the appender until a random moment after it is ready, SIGKILLs it, and returns the acknowledgements it printed. */
function runAndKill(dataDir: string): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    // The real engine, straight from its TypeScript sources.
    const child = spawn(process.execPath, ['-r', require.resolve('@swc-node/register'), FIXTURE, dataDir, String(WRITERS), 'story-crash'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (!stdout.includes('ready\n') && (stdout + chunk).includes('ready\n')) {
        setTimeout(() => child.kill('SIGKILL'), 50 + Math.random() * 350);
      }
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`appender exited by itself (${signal ?? _code}): ${stderr}`));
        return;
      }
      // A line cut by the kill was never a complete acknowledgement.
      const lines = stdout
        .split('\n')
        .slice(0, -1)
        .filter((line) => line.startsWith('{'));
      resolve(lines.map((line) => JSON.parse(line) as Ack));
    });
  });
}

it(`keeps every acknowledged append, with no gap, duplicate or torn append, across ${ROUNDS} SIGKILLs`, async () => {
  const dataDir = path.join(workDir, 'data');
  const acknowledged: Ack[] = [];

  for (let round = 0; round < ROUNDS; round += 1) {
    const acks = await runAndKill(dataDir);
    expect(acks.length).toBeGreaterThan(0);
    acknowledged.push(...acks);

    const engine = openSqliteEngine({ dataDir });
    const events = allEvents(engine);
    await engine.close();

    const positions = events.map((e) => e.position);
    expect(positions.every((p, i) => i === 0 || p > positions[i - 1])).toBe(true);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);

    // Appends are atomic: every append found is found whole.
    const appends = new Map<string, { of: number; found: number }>();
    for (const event of events.filter((e) => e.streamId.startsWith('story-crash'))) {
      const { append, of } = JSON.parse(text(event.data)) as { append: string; of: number };
      const seen = appends.get(append) ?? { of, found: 0 };
      appends.set(append, { of, found: seen.found + 1 });
    }
    expect([...appends.values()].filter(({ of, found }) => of !== found)).toEqual([]);

    const byStream = new Map<string, typeof events>();
    for (const event of events) byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
    for (const [streamId, streamEvents] of byStream) {
      expect({ streamId, revisions: streamEvents.map((e) => e.revision) }).toEqual({
        streamId,
        revisions: streamEvents.map((_e, i) => BigInt(i)),
      });
    }

    for (const ack of acknowledged) {
      const streamEvents = byStream.get(ack.streamId) ?? [];
      const last = Number(ack.lastRevision);
      const written = streamEvents.slice(last - ack.ids.length + 1, last + 1);
      expect({ ack, ids: written.map((e) => e.id), position: `${written.at(-1)?.position}` }).toEqual({
        ack,
        ids: ack.ids,
        position: ack.position,
      });
    }
  }
}, 60_000);
