import {
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  jsonEvent,
  type AppendExpectedRevision,
  type AppendResult,
  type EventData,
} from '@eventstore/db-client';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import * as grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startStoreProcess } from '../apps/store/src/store.process';

/**
 * `npm run bench:store`: the embedded store's speed on its durable engine (a data
 * directory on disk), through the real client over gRPC, with the store in a
 * child process as in production. Prints figures beside the targets of issue 2;
 * it asserts nothing.
 *
 *   --events N     events written before the readAll measure (default 1,000,000)
 *   --seconds S    length of each append and live measure (default 4)
 *   --repeat N     runs of each append and live measure; the median is shown with the range (default 3)
 *   --only A,B     run only these measures: append1, append50, batch10, live, readall
 *   --dir PARENT   where the data directory goes (default: the OS temp dir)
 *   --cpu-prof     write a CPU profile of the store process (into PARENT) when it stops
 *   --keep         keep the data directory
 *
 * For the client's side, run the built file under `node --cpu-prof dist/bench/store.bench.js`.
 */

const USAGE =
  'usage: npm run bench:store -- [--events N] [--seconds S] [--repeat N] [--only append1,append50,batch10,live,readall] [--dir PARENT] [--cpu-prof] [--keep]';
const MEASURES = ['append1', 'append50', 'batch10', 'live', 'readall'] as const;
type Measure = (typeof MEASURES)[number];
const PAYLOAD = 'x'.repeat(100);

interface Row {
  readonly measure: string;
  readonly result: string;
  readonly target: string;
  /** CPU time per event of the bench process (the client) and of the store process. */
  readonly cpu?: string;
}

/**
 * CPU time spent by this process (the client) and by the store's process during a measure,
 * per event: tells whose work bounds a figure. The store's comes from /proc (Linux; clock
 * ticks of 10 ms, the kernel's usual USER_HZ); elsewhere it shows as a dash.
 */
function cpuMeter(storePid: number | undefined): () => (events: number) => string {
  const storeMs = (): number | undefined => {
    try {
      const fields = readFileSync(`/proc/${storePid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return undefined;
    }
  };
  return () => {
    const client = process.cpuUsage();
    const store = storeMs();
    return (events) => {
      const used = process.cpuUsage(client);
      const storeNow = storeMs();
      const server = store !== undefined && storeNow !== undefined ? (((storeNow - store) * 1000) / events).toFixed(1) : '–';
      return `${((used.user + used.system) / events).toFixed(1)} / ${server}`;
    };
  };
}

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive number\n${USAGE}`);
  return parsed;
}

const ms = (ns: number): string => `${(ns / 1e6).toFixed(2)} ms`;
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const rate = (events: number, seconds: number): string => `${Math.round(events / seconds).toLocaleString('en-US')} ev/s`;

function events(count: number, type: string, start = 0): EventData[] {
  return Array.from({ length: count }, (_, i) => jsonEvent({ id: randomUUID(), type, data: { n: start + i, body: PAYLOAD } }));
}

function histogram(): RecordableHistogram {
  return createHistogram({ lowest: 1, highest: 60e9, figures: 3 });
}

/** `concurrency` appenders, each on a stream of its own with exact expected revisions, for `seconds`. */
async function measureAppends(
  client: EventStoreDBClient,
  label: string,
  concurrency: number,
  eventsPerAppend: number,
  seconds: number,
): Promise<{ events: number; seconds: number; latency: RecordableHistogram }> {
  const latency = histogram();
  let written = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      const stream = `bench-${label}-${worker}-${randomUUID().slice(0, 8)}`;
      let expected: AppendExpectedRevision = NO_STREAM;
      while (performance.now() < deadline) {
        const sent = process.hrtime.bigint();
        const result: AppendResult = await client.appendToStream(stream, events(eventsPerAppend, 'BenchAppended'), { expectedRevision: expected });
        latency.record(Number(process.hrtime.bigint() - sent));
        expected = result.nextExpectedRevision;
        written += eventsPerAppend;
      }
    }),
  );
  return { events: written, seconds: (performance.now() - started) / 1000, latency };
}

/** Appends paced at `perSecond` while a subscription to `$all` is live: append call → delivery. */
async function measureLiveDelivery(
  client: EventStoreDBClient,
  perSecond: number,
  seconds: number,
): Promise<{ delivery: RecordableHistogram; ack: RecordableHistogram; sent: number; delivered: number }> {
  const delivery = histogram();
  const ack = histogram();
  const sentAt = new Map<string, bigint>();
  let delivered = 0;
  let allDelivered: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allDelivered = resolve));
  const total = Math.round(perSecond * seconds);

  const subscription = client.subscribeToAll({ fromPosition: END });
  subscription.on('data', (resolved) => {
    const at = resolved.event ? sentAt.get(resolved.event.id) : undefined;
    if (at === undefined) return;
    delivery.record(Number(process.hrtime.bigint() - at));
    delivered += 1;
    if (delivered === total) allDelivered();
  });
  await new Promise<void>((resolve, reject) => {
    subscription.once('confirmation', () => resolve());
    subscription.once('error', reject);
  });

  const stream = `bench-live-${randomUUID().slice(0, 8)}`;
  const appends: Promise<unknown>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i += 1) {
    // Paced against the clock, not against the previous append, so a slow one does not shift the rest.
    const wait = start + (i * 1000) / perSecond - performance.now();
    if (wait > 0) await sleep(wait);
    const [event] = events(1, 'BenchLive', i) as [EventData];
    const sent = process.hrtime.bigint();
    sentAt.set(event.id, sent);
    appends.push(client.appendToStream(stream, event).then(() => ack.record(Number(process.hrtime.bigint() - sent))));
  }
  await Promise.all(appends);
  await Promise.race([done, sleep(10_000)]);
  await subscription.unsubscribe();
  return { delivery, ack, sent: total, delivered };
}

/** Writes `count` events in appends of 1,000 (about 150 KB each) from 4 writers. */
async function fill(client: EventStoreDBClient, count: number): Promise<number> {
  const perAppend = 1_000;
  const writers = 4;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      const stream = `bench-fill-${writer}-${randomUUID().slice(0, 8)}`;
      while (next < count) {
        const size = Math.min(perAppend, count - next);
        const first = next;
        next += size;
        await client.appendToStream(stream, events(size, 'BenchFilled', first));
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function measureReadAll(client: EventStoreDBClient): Promise<{ events: number; seconds: number }> {
  let count = 0;
  const started = performance.now();
  for await (const resolved of client.readAll({ fromPosition: START, direction: FORWARDS })) {
    if (resolved.event) count += 1;
  }
  return { events: count, seconds: (performance.now() - started) / 1000 };
}

/**
 * The same read over plain grpc-js, messages left undecoded: what the server and the
 * transport deliver, without the client's per-event work. Tells server cost from client cost.
 */
async function measureRawRead(connectionString: string): Promise<{ messages: number; seconds: number }> {
  const address = new URL(connectionString.replace(/^esdb(\+discover)?:/, 'http:')).host;
  const client = new grpc.Client(address, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': 17 * 1024 * 1024 });
  const options = new ReadReq.Options();
  const all = new ReadReq.Options.AllOptions();
  all.setStart(new Empty());
  const uuid = new ReadReq.Options.UUIDOption();
  uuid.setString(new Empty());
  options.setAll(all);
  options.setResolveLinks(false);
  options.setCount(String(Number.MAX_SAFE_INTEGER));
  options.setUuidOption(uuid);
  options.setNoFilter(new Empty());
  options.setReadDirection(ReadReq.Options.ReadDirection.FORWARDS);
  const request = new ReadReq();
  request.setOptions(options);
  let messages = 0;
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const call = client.makeServerStreamRequest(
      '/event_store.client.streams.Streams/Read',
      (message: ReadReq) => Buffer.from(message.serializeBinary()),
      (bytes: Buffer) => bytes,
      request,
    );
    call.on('data', () => (messages += 1));
    call.on('end', () => resolve());
    call.on('error', reject);
  });
  client.close();
  return { messages, seconds: (performance.now() - started) / 1000 };
}

function printTable(rows: readonly Row[]): void {
  const headers: Row = { measure: 'measure', result: 'result', target: 'target', cpu: 'CPU µs/event, client / store' };
  const width = (key: keyof Row): number => Math.max(...[headers, ...rows].map((row) => (row[key] ?? '').length));
  const [w1, w2, w3, w4] = [width('measure'), width('result'), width('target'), width('cpu')];
  const line = (row: Row): string => `| ${row.measure.padEnd(w1)} | ${row.result.padStart(w2)} | ${row.target.padEnd(w3)} | ${(row.cpu ?? '').padStart(w4)} |`;
  console.log(line(headers));
  console.log(`|${'-'.repeat(w1 + 2)}|${'-'.repeat(w2 + 1)}:|${'-'.repeat(w3 + 2)}|${'-'.repeat(w4 + 1)}:|`);
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' },
      seconds: { type: 'string' },
      only: { type: 'string' },
      repeat: { type: 'string' },
      dir: { type: 'string' },
      'cpu-prof': { type: 'boolean' },
      keep: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const fillCount = Math.round(positive(values.events, 1_000_000, 'events'));
  const seconds = positive(values.seconds, 4, 'seconds');
  const repeat = Math.round(positive(values.repeat, 3, 'repeat'));
  const only = values.only?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !(MEASURES as readonly string[]).includes(name)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown measure(s) ${unknown.join(', ')}\n${USAGE}`);
  const runs = (measure: Measure): boolean => only === undefined || only.includes(measure);
  const parent = values.dir ?? os.tmpdir();
  const dataDir = mkdtempSync(path.join(parent, 'store-bench-'));
  const nodeArgs = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', parent] : [];
  const load = (): string =>
    os
      .loadavg()
      .map((value) => value.toFixed(1))
      .join(' / ');

  console.log(`store benchmark: durable store in ${dataDir}, its own process; client over gRPC`);
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load average ${load()}\n`);
  const store = await startStoreProcess({ dataDir, nodeArgs });
  const client = EventStoreDBClient.connectionString(store.connectionString);
  const rows: Row[] = [];
  const step = (text: string): void => console.log(`… ${text}`);
  const meter = cpuMeter(store.child.pid);
  try {
    // Warm-up: connections, the BatchAppend call, the JIT.
    await measureAppends(client, 'warmup', 10, 1, 1);

    // Each append measure and the live one run `repeat` times: the median is shown, with the
    // range beside it (on a shared machine one run can land in another process's burst).
    const appendRows = async (label: string, name: string, concurrency: number, eventsPerAppend: number, target = ''): Promise<void> => {
      const cpu = meter();
      const results: { rate: number; p50: number; p99: number }[] = [];
      let events = 0;
      for (let i = 0; i < repeat; i += 1) {
        const run = await measureAppends(client, name, concurrency, eventsPerAppend, seconds);
        events += run.events;
        results.push({ rate: run.events / run.seconds, p50: run.latency.percentile(50), p99: run.latency.percentile(99) });
      }
      const rates = results.map((r) => r.rate);
      const range = repeat > 1 ? ` (${Math.round(Math.min(...rates)).toLocaleString('en-US')}–${Math.round(Math.max(...rates)).toLocaleString('en-US')})` : '';
      rows.push(
        { measure: label, result: `${Math.round(median(rates)).toLocaleString('en-US')} ev/s${range}`, target, cpu: cpu(events) },
        { measure: '  append latency p50 / p99', result: `${ms(median(results.map((r) => r.p50)))} / ${ms(median(results.map((r) => r.p99)))}`, target: '' },
      );
    };
    if (runs('append1')) {
      step(`1 appender, single-event appends, ${seconds} s × ${repeat}`);
      await appendRows('append, 1 appender, 1 event each', 'one', 1, 1);
    }
    if (runs('append50')) {
      step(`50 concurrent appenders, single-event appends, ${seconds} s × ${repeat}`);
      await appendRows('append, 50 concurrent appenders, 1 event each', 'fifty', 50, 1, '≥ 10,000 ev/s');
    }
    if (runs('batch10')) {
      step(`10-event appends, 1 appender and 50 concurrent, ${seconds} s × ${repeat} each`);
      await appendRows('append, 1 appender, 10 events each', 'ten-one', 1, 10);
      await appendRows('append, 50 concurrent appenders, 10 events each', 'ten-fifty', 50, 10);
    }
    if (runs('live')) {
      step(`live delivery to a subscription to $all, 200 appends/s for ${seconds} s × ${repeat}`);
      const lives = [];
      for (let i = 0; i < repeat; i += 1) lives.push(await measureLiveDelivery(client, 200, seconds));
      const p99s = lives.map((live) => live.delivery.percentile(99));
      const range = repeat > 1 ? ` (p99 ${ms(Math.min(...p99s))}–${ms(Math.max(...p99s))})` : '';
      rows.push(
        {
          measure: 'live delivery, append call → subscriber, p50 / p99',
          result: `${ms(median(lives.map((live) => live.delivery.percentile(50))))} / ${ms(median(p99s))}${range}`,
          target: 'p99 ≤ 10 ms',
        },
        {
          measure: '  append acknowledgement p50 / p99',
          result: `${ms(median(lives.map((live) => live.ack.percentile(50))))} / ${ms(median(lives.map((live) => live.ack.percentile(99))))}`,
          target: '',
        },
      );
      const sent = lives.reduce((sum, live) => sum + live.sent, 0);
      const delivered = lives.reduce((sum, live) => sum + live.delivered, 0);
      if (delivered !== sent) rows.push({ measure: '  delivered / sent (10 s grace)', result: `${delivered} / ${sent}`, target: 'all' });
    }
    if (runs('readall')) {
      step(`writing ${fillCount.toLocaleString('en-US')} events in appends of 1,000`);
      let cpu = meter();
      const fillRate = await fill(client, fillCount);
      rows.push({
        measure: 'append, 4 writers, 1,000 events each',
        result: `${Math.round(fillRate).toLocaleString('en-US')} ev/s`,
        target: '',
        cpu: cpu(fillCount),
      });

      step('readAll through the client, from the start');
      cpu = meter();
      const read = await measureReadAll(client);
      rows.push({
        measure: `readAll through the client (${read.events.toLocaleString('en-US')} events)`,
        result: rate(read.events, read.seconds),
        target: '≥ 40,000 ev/s',
        cpu: cpu(read.events),
      });
      step('the same read over plain grpc-js, undecoded');
      cpu = meter();
      const raw = await measureRawRead(store.connectionString);
      rows.push({
        measure: '  same read, raw gRPC, undecoded (server + transport)',
        result: rate(raw.messages, raw.seconds),
        target: '',
        cpu: cpu(raw.messages),
      });
    }
  } finally {
    await client.dispose();
    const exit = await store.stop();
    if (exit.code !== 0) console.log(`(the store exited with code ${exit.code}, signal ${exit.signal})`);
    if (!values.keep) rmSync(dataDir, { recursive: true, force: true });
  }
  console.log('');
  printTable(rows);
  console.log(`\nload average at the end: ${load()} (1 / 5 / 15 min; on a shared machine, figures drop as it rises)`);
  if (values['cpu-prof']) console.log(`CPU profile of the store: ${parent}/CPU.*.cpuprofile`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
