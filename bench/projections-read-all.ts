import { EventStoreDBClient, FORWARDS, START } from '@eventstore/db-client';
import { EventStoreAdapter } from '@newsroom/event-store';
import { performance } from 'node:perf_hooks';

/**
 * The baselines of `npm run bench:projections`, each in a fresh process as the replay runs:
 *
 *   node dist/bench/projections-read-all.js <connection string>
 *     a bare `readAll`: every record of `$all` from the start through the client (which
 *     parses each JSON payload), nothing else;
 *   node dist/bench/projections-read-all.js <connection string> --subscription
 *     the replay's reader without the views: the adapter's catch-up subscription to the
 *     story events (filtered on the server, deserialised and upcast), until caught up.
 *
 * Prints `{"events":N,"seconds":S,"cpuMicrosPerEvent":C}` on stdout.
 */
async function bareReadAll(connectionString: string): Promise<number> {
  const client = EventStoreDBClient.connectionString(connectionString);
  try {
    let events = 0;
    for await (const resolved of client.readAll({ fromPosition: START, direction: FORWARDS })) {
      if (resolved.event !== undefined) events += 1;
    }
    return events;
  } finally {
    await client.dispose();
  }
}

async function storySubscription(connectionString: string): Promise<number> {
  const adapter = EventStoreAdapter.connect(connectionString);
  const subscription = adapter.subscribeToStoryEvents({ checkpointInterval: 100 });
  try {
    let events = 0;
    for await (const message of subscription) {
      if (message.kind === 'event') events += 1;
      else if (message.kind === 'caught-up') break;
    }
    return events;
  } finally {
    await subscription.close();
    await adapter.close();
  }
}

async function main(): Promise<void> {
  const [connectionString, mode] = process.argv.slice(2);
  if (connectionString === undefined) throw new Error('usage: projections-read-all <connection string> [--subscription]');
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const events = mode === '--subscription' ? await storySubscription(connectionString) : await bareReadAll(connectionString);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  process.stdout.write(`${JSON.stringify({ events, seconds, cpuMicrosPerEvent: (cpu.user + cpu.system) / events })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
