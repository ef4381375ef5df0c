import { EventStoreDBClient, FORWARDS, START } from '@eventstore/db-client';
import { performance } from 'node:perf_hooks';

/**
 * The bare `readAll` of `npm run bench:projections`, in a fresh process as the replay
 * runs: every record of `$all` from the start through the client (which parses each
 * JSON payload), nothing else. Prints `{"events":N,"seconds":S,"cpuMicrosPerEvent":C}` on stdout.
 *
 *   node dist/bench/projections-read-all.js <connection string>
 */
async function main(): Promise<void> {
  const connectionString = process.argv[2];
  if (connectionString === undefined) throw new Error('usage: projections-read-all <connection string>');
  const client = EventStoreDBClient.connectionString(connectionString);
  try {
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    let events = 0;
    for await (const resolved of client.readAll({ fromPosition: START, direction: FORWARDS })) {
      if (resolved.event !== undefined) events += 1;
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuAtStart);
    process.stdout.write(`${JSON.stringify({ events, seconds, cpuMicrosPerEvent: (cpu.user + cpu.system) / events })}\n`);
  } finally {
    await client.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
