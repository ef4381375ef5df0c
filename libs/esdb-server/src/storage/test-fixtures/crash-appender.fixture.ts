/**
 * Child process of the engine crash test: opens the store, runs concurrent appenders (one stream
 * each, exact expected revisions, one or three events per append) and prints one JSON line per
 * acknowledged append, until it is killed.
 *
 * argv: <dataDir> <writers> <stream prefix>
 */
import { randomUUID } from 'node:crypto';
import { openSqliteEngine } from '../sqlite-engine';
import type { ExpectedRevision, ProposedEvent } from '../storage.types';

const [dataDir, writers, prefix] = process.argv.slice(2);
const engine = openSqliteEngine({ dataDir });

/** Each event names its append and the append's size, so a reader can tell a torn append. */
function events(count: number): ProposedEvent[] {
  const append = randomUUID();
  return Array.from({ length: count }, () => ({
    id: randomUUID(),
    type: 'SourceCited',
    isJson: true,
    data: Buffer.from(JSON.stringify({ append, of: count })),
    metadata: new Uint8Array(0),
  }));
}

async function appendForever(streamId: string): Promise<void> {
  const last = engine.readStream(streamId, 'end', 'backwards', 1n);
  let current = last.outcome === 'ok' ? ([...last.events][0]?.revision ?? -1n) : -1n;
  for (let turn = 0; ; turn += 1) {
    const proposed = events(turn % 3 === 0 ? 3 : 1);
    const expected: ExpectedRevision = current < 0n ? { kind: 'no_stream' } : { kind: 'exact', revision: current };
    const result = await engine.append(streamId, expected, proposed);
    if (result.outcome !== 'ok' || result.currentRevision === 'no_stream') {
      process.stderr.write(`unexpected result for ${streamId}: ${JSON.stringify(result, (_k, v) => (typeof v === 'bigint' ? `${v}` : v))}\n`);
      process.exit(2);
    }
    // Writes to a pipe are synchronous on Linux: once this returns, the parent will read the line.
    process.stdout.write(
      `${JSON.stringify({ streamId, ids: proposed.map((e) => e.id), lastRevision: `${result.currentRevision}`, position: `${result.position}` })}\n`,
    );
    current = result.currentRevision;
  }
}

for (let i = 0; i < Number(writers); i += 1) void appendForever(`${prefix}-${i}`);
process.stdout.write('ready\n');
