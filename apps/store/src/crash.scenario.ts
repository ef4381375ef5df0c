import {
  ANY,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type AppendExpectedRevision,
} from '@eventstore/db-client';
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkDurability, type Batch, type ObservedEvent, type SentExpectation } from './crash.check';
import { launchStore, startStoreProcess, type RunningStore } from './store.process';

/**
 * The crash scenario shared by the crash test (jest) and `npm run torture:store`:
 * the store runs as a child process on a data directory; concurrent appenders
 * write through the real client (each to a stream of its own with exact expected
 * revisions, and to a few shared streams where they race); the store is
 * SIGKILLed at a random moment, restarted on the same directory, and what it
 * holds is checked against every acknowledgement so far (`crash.check.ts`).
 */

export interface CrashScenarioOptions {
  readonly rounds: number;
  /** Concurrent appenders (at least 20 in the test). */
  readonly appenders?: number;
  /** Clients (channels) the appenders are spread over. */
  readonly clients?: number;
  readonly sharedStreams?: number;
  /**
   * The kill comes at a random moment within this many ms of the round's first
   * acknowledgement (counted from there, not from the start, so that a slow start on
   * a busy machine does not leave rounds without load).
   */
  readonly maxRunMs?: number;
  /** Share of rounds in which the store is also killed during start-up. */
  readonly startupKillRate?: number;
  /** Parent folder of the data directory (default: the OS temp dir). */
  readonly parentDir?: string;
  readonly onRound?: (report: RoundReport) => void;
}

export interface RoundReport {
  readonly round: number;
  /** Time from the round's first acknowledgement to the kill. */
  readonly killedAfterMs: number;
  readonly killedDuringStartup: boolean;
  /** How the client appended: BatchAppend (odd rounds) or Append (even rounds, the store not offering BatchAppend). */
  readonly writePath: 'BatchAppend' | 'Append';
  /** Appends sent and not answered when the kill came. */
  readonly inflightAtKill: number;
  /** Appends acknowledged in this round, and their events. */
  readonly appendsAcked: number;
  readonly eventsAcked: number;
  /** Appends refused with wrong expected version (the shared streams' races). */
  readonly appendsRefused: number;
  /** Appends in flight at the kill: found whole after the restart, or not at all. */
  readonly inflightLanded: number;
  readonly inflightAbsent: number;
  /** Events checked after the restart that ended this round. */
  readonly eventsVerified: number;
  readonly violations: readonly string[];
  readonly durationMs: number;
}

export interface CrashSummary {
  readonly rounds: number;
  readonly appendsAcked: number;
  readonly eventsAcked: number;
  readonly eventsVerified: number;
  readonly inflightLanded: number;
  readonly inflightAbsent: number;
  readonly violations: readonly string[];
  readonly dataDir: string;
  readonly durationMs: number;
}

const EVENT_TYPE = 'CrashProbe';
/** The client rejects pending appends as soon as the channel drops; this only guards against a hang. */
const SETTLE_TIMEOUT_MS = 10_000;

interface Appender {
  readonly index: number;
  readonly client: EventStoreDBClient;
  readonly ownStream: string;
  /** An append to the own stream whose outcome the kill hid: re-sent as is in the next round. */
  unresolved?: Batch;
}

/** What all appenders share within one run. */
class Ledger {
  readonly batches: Batch[] = [];
  /** Current length of each stream, known after each verification. */
  readonly lengths = new Map<string, bigint>();
  ackCount = 0;
  private seq = 0;

  newBatch(stream: string, expected: SentExpectation, size: number, appender: number): Batch {
    const ids: string[] = [];
    const payloads: string[] = [];
    for (let i = 0; i < size; i += 1) {
      ids.push(randomUUID());
      // Varying sizes, so that torn pages would show as wrong data, not only as missing rows.
      payloads.push(JSON.stringify({ appender, seq: this.seq, part: i, pad: 'x'.repeat(randomInt(0, 400)) }));
    }
    const batch: Batch = { seq: this.seq, stream, ids, payloads, expected, acksBefore: this.ackCount, state: 'inflight' };
    this.seq += 1;
    this.batches.push(batch);
    return batch;
  }

  acknowledge(batch: Batch, nextExpectedRevision: bigint, position: bigint | undefined): void {
    batch.state = 'acked';
    batch.ackSeq = this.ackCount;
    this.ackCount += 1;
    batch.firstRevision = nextExpectedRevision - BigInt(batch.ids.length) + 1n;
    batch.reportedPosition = position;
  }
}

export async function runCrashScenario(options: CrashScenarioOptions): Promise<CrashSummary> {
  const appenderCount = options.appenders ?? 24;
  const clientCount = options.clients ?? 4;
  const sharedCount = options.sharedStreams ?? 4;
  const maxRunMs = options.maxRunMs ?? 1_200;
  const startupKillRate = options.startupKillRate ?? 0.2;
  const dataDir = mkdtempSync(path.join(options.parentDir ?? tmpdir(), 'store-crash-'));
  const prefix = `crash-${randomUUID().slice(0, 8)}`;
  const ownStreams = Array.from({ length: appenderCount }, (_, i) => `${prefix}-own-${i}`);
  const sharedStreams = Array.from({ length: sharedCount }, (_, i) => `${prefix}-shared-${i}`);
  const ledger = new Ledger();
  for (const stream of [...ownStreams, ...sharedStreams]) ledger.lengths.set(stream, 0n);
  const unresolved = new Map<string, Batch>();
  const started = Date.now();
  const totals = { appendsAcked: 0, eventsAcked: 0, eventsVerified: 0, inflightLanded: 0, inflightAbsent: 0 };
  const violations: string[] = [];
  let rounds = 0;
  let store: RunningStore | undefined;

  try {
    // Odd rounds append through BatchAppend, even ones through Append: both write paths get killed.
    const batchAppend = (round: number): boolean => round % 2 === 1;
    store = await startStoreProcess({ dataDir, batchAppend: batchAppend(1) });
    for (let round = 1; round <= options.rounds; round += 1) {
      const roundStarted = Date.now();
      const run = await runAppenders(store.connectionString, ledger, {
        appenderCount,
        clientCount,
        ownStreams,
        sharedStreams,
        unresolved,
        killAfterMs: randomInt(0, maxRunMs + 1),
        kill: () => (store as RunningStore).kill(),
      });
      violations.push(...run.violations);

      // Sometimes a second kill lands while the store recovers and starts.
      const killedDuringStartup = Math.random() < startupKillRate;
      if (killedDuringStartup) {
        const early = launchStore({ dataDir });
        await Promise.race([early.ready, sleep(randomInt(20, 400), undefined, { ref: false })]).catch(() => undefined);
        await early.kill();
      }
      store = await startStoreProcess({ dataDir, batchAppend: batchAppend(round + 1) });
      const verified = await verify(store.connectionString, ledger, [...ownStreams, ...sharedStreams], prefix);
      violations.push(...verified.violations);

      rounds = round;
      totals.appendsAcked += run.appendsAcked;
      totals.eventsAcked += run.eventsAcked;
      totals.eventsVerified += verified.eventsChecked;
      totals.inflightLanded += verified.landed;
      totals.inflightAbsent += verified.absent;
      options.onRound?.({
        round,
        killedAfterMs: run.killedAfterMs,
        killedDuringStartup,
        writePath: batchAppend(round) ? 'BatchAppend' : 'Append',
        inflightAtKill: run.inflightAtKill,
        appendsAcked: run.appendsAcked,
        eventsAcked: run.eventsAcked,
        appendsRefused: run.appendsRefused,
        inflightLanded: verified.landed,
        inflightAbsent: verified.absent,
        eventsVerified: verified.eventsChecked,
        violations: [...run.violations, ...verified.violations],
        durationMs: Date.now() - roundStarted,
      });
      // Later rounds would only repeat the damage; stop at the first violating round.
      if (violations.length > 0) break;
    }
    const exit = await store.stop();
    store = undefined;
    if (exit.code !== 0) violations.push(`the store did not stop cleanly on SIGTERM (code ${exit.code}, signal ${exit.signal})`);
  } finally {
    await store?.kill();
  }
  // The data directory is kept when something went wrong, for a post-mortem.
  if (violations.length === 0) rmSync(dataDir, { recursive: true, force: true });
  return { rounds, ...totals, violations, dataDir, durationMs: Date.now() - started };
}

interface AppendRun {
  readonly appendsAcked: number;
  readonly eventsAcked: number;
  readonly appendsRefused: number;
  readonly killedAfterMs: number;
  readonly inflightAtKill: number;
  readonly violations: string[];
}

async function runAppenders(
  connectionString: string,
  ledger: Ledger,
  plan: {
    appenderCount: number;
    clientCount: number;
    ownStreams: readonly string[];
    sharedStreams: readonly string[];
    unresolved: Map<string, Batch>;
    killAfterMs: number;
    kill: () => Promise<unknown>;
  },
): Promise<AppendRun> {
  const clients = Array.from({ length: plan.clientCount }, () => EventStoreDBClient.connectionString(connectionString));
  const violations: string[] = [];
  const counts = { appendsAcked: 0, eventsAcked: 0, appendsRefused: 0 };
  let killed = false;
  let firstAck: () => void = () => undefined;
  const acknowledged = new Promise<void>((resolve) => (firstAck = resolve));
  // Results that arrive after the round has been closed are not trusted either way.
  let closed = false;

  /** The outcome of one append; a refusal carries the stream's length the store reported. */
  type Outcome = 'acked' | 'unknown' | { readonly refusedAtLength: bigint };
  const appendOnce = async (client: EventStoreDBClient, batch: Batch): Promise<Outcome> => {
    try {
      const result = await client.appendToStream(
        batch.stream,
        batch.ids.map((id, i) => jsonEvent({ id, type: EVENT_TYPE, data: JSON.parse(batch.payloads[i] as string) })),
        { expectedRevision: toClientExpectation(batch.expected) },
      );
      if (closed) return 'unknown';
      ledger.acknowledge(batch, result.nextExpectedRevision, result.position?.commit);
      counts.appendsAcked += 1;
      counts.eventsAcked += batch.ids.length;
      firstAck();
      return 'acked';
    } catch (error) {
      if (closed) return 'unknown';
      if (error instanceof WrongExpectedVersionError) {
        batch.state = 'refused';
        counts.appendsRefused += 1;
        const actual = error.actualVersion;
        return { refusedAtLength: typeof actual === 'bigint' ? actual + 1n : 0n };
      }
      // Anything else is expected only once the store is gone.
      if (!killed) violations.push(`append #${batch.seq} to ${batch.stream} failed while the store ran: ${String(error)}`);
      return 'unknown';
    }
  };

  const runAppender = async (appender: Appender): Promise<void> => {
    // First, re-send what the last kill left unresolved, exactly as before (same ids,
    // same expected revision): a client retrying after a lost answer. Whether the
    // events landed before the kill or not, it must be acknowledged, and written once.
    if (appender.unresolved) {
      const batch = appender.unresolved;
      // A batch found whole stays required whatever happens to the retry.
      if (batch.state === 'absent') batch.state = 'inflight';
      const outcome = await appendOnce(appender.client, batch);
      if (outcome === 'unknown') return;
      plan.unresolved.delete(appender.ownStream);
      if (outcome !== 'acked') {
        violations.push(`re-sent append #${batch.seq} to ${batch.stream} was refused: the retry of a lost answer must succeed`);
        return;
      }
      ledger.lengths.set(appender.ownStream, (batch.firstRevision as bigint) + BigInt(batch.ids.length));
    }
    const sharedKnown = new Map<string, bigint>(plan.sharedStreams.map((s) => [s, ledger.lengths.get(s) ?? 0n]));
    while (!killed) {
      const size = Math.random() < 0.5 ? 1 : randomInt(2, 6);
      if (Math.random() < 0.7) {
        const length = ledger.lengths.get(appender.ownStream) ?? 0n;
        const batch = ledger.newBatch(appender.ownStream, length === 0n ? 'no_stream' : length - 1n, size, appender.index);
        const outcome = await appendOnce(appender.client, batch);
        if (outcome === 'unknown') {
          appender.unresolved = batch;
          plan.unresolved.set(appender.ownStream, batch);
          return;
        }
        if (outcome !== 'acked') {
          violations.push(`append #${batch.seq} to ${batch.stream}, which only its appender writes, was refused`);
          return;
        }
        ledger.lengths.set(appender.ownStream, length + BigInt(size));
      } else {
        const stream = plan.sharedStreams[randomInt(0, plan.sharedStreams.length)] as string;
        const known = sharedKnown.get(stream) ?? 0n;
        const expected: SentExpectation = Math.random() < 0.3 ? 'any' : known === 0n ? 'no_stream' : known - 1n;
        const batch = ledger.newBatch(stream, expected, size, appender.index);
        const outcome = await appendOnce(appender.client, batch);
        if (outcome === 'unknown') return;
        if (outcome === 'acked') sharedKnown.set(stream, (batch.firstRevision as bigint) + BigInt(size));
        // Refused: go on from the revision the error reports (reading the stream instead would
        // leave appenders reading, not appending, when the kill comes).
        else sharedKnown.set(stream, outcome.refusedAtLength);
      }
    }
  };

  const appenders: Appender[] = plan.ownStreams.map((ownStream, index) => ({
    index,
    client: clients[index % clients.length] as EventStoreDBClient,
    ownStream,
    unresolved: plan.unresolved.get(ownStream),
  }));
  const running = Promise.all(appenders.map(runAppender));
  // A store that acknowledges nothing is killed anyway; `eventsAcked` then shows it.
  await Promise.race([acknowledged, running, sleep(SETTLE_TIMEOUT_MS, undefined, { ref: false })]);
  await sleep(plan.killAfterMs);
  killed = true;
  await plan.kill();
  await Promise.race([running, sleep(SETTLE_TIMEOUT_MS, undefined, { ref: false })]);
  closed = true;
  const inflightAtKill = ledger.batches.filter((batch) => batch.state === 'inflight').length;
  await Promise.all(clients.map((client) => client.dispose().catch(() => undefined)));
  return { ...counts, killedAfterMs: plan.killAfterMs, inflightAtKill, violations };
}

/** Reads everything back through a fresh client and judges it. */
async function verify(
  connectionString: string,
  ledger: Ledger,
  streams: readonly string[],
  prefix: string,
): Promise<{ violations: string[]; eventsChecked: number; landed: number; absent: number }> {
  const client = EventStoreDBClient.connectionString(connectionString);
  try {
    const all: ObservedEvent[] = [];
    for await (const resolved of client.readAll({ fromPosition: START, direction: FORWARDS })) {
      if (resolved.event) all.push(observe(resolved.event));
    }
    const byStream = new Map<string, ObservedEvent[]>();
    for (const stream of streams) byStream.set(stream, await readStreamEvents(client, stream));
    const result = checkDurability(ledger.batches, {
      all,
      streams: byStream,
      isTestStream: (stream) => stream.startsWith(prefix),
    });
    let landed = 0;
    let absent = 0;
    for (const [batch, first] of result.inflight) {
      if (first === undefined) {
        batch.state = 'absent';
        absent += 1;
      } else {
        batch.state = 'landed';
        batch.firstRevision = first;
        landed += 1;
      }
    }
    // Lost answers on own streams are re-sent in the next round (`Appender.unresolved`);
    // those on shared streams are not (a real writer would read and decide again).
    for (const stream of streams) ledger.lengths.set(stream, BigInt(byStream.get(stream)?.length ?? 0));
    return { violations: result.violations, eventsChecked: result.eventsChecked, landed, absent };
  } finally {
    await client.dispose();
  }
}

async function readStreamEvents(client: EventStoreDBClient, stream: string): Promise<ObservedEvent[]> {
  const events: ObservedEvent[] = [];
  try {
    for await (const resolved of client.readStream(stream, { fromRevision: START, direction: FORWARDS })) {
      if (resolved.event) events.push(observe(resolved.event));
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return events;
}

function observe(event: { streamId: string; revision: bigint; id: string; position?: { commit: bigint }; data: unknown; isJson: boolean }): ObservedEvent {
  const payload = event.isJson ? JSON.stringify(event.data) : Buffer.from(event.data as Uint8Array).toString('utf8');
  return { stream: event.streamId, revision: event.revision, id: event.id, position: event.position?.commit, payload };
}

function toClientExpectation(expected: SentExpectation): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  return expected;
}
