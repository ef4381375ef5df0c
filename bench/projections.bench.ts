import autocannon from 'autocannon';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generateNewsroomLog } from '@newsroom/projections';
import { startStoreProcess } from '../apps/store/src/store.process';
import { clearGeneratedLog, type GeneratedLog, generatedLogDir, holdsGeneratedLog, writeGeneratedLog } from './generated-log';

/**
 * `npm run bench:projections`: the read side of issue 4 end to end, each program in a
 * process of its own, the store a DURABLE embedded store (data directory on disk):
 *
 * 1. a generated newsroom log (default 1,000,000 events over 100,000 stories), written
 *    once in batched appends through the event-store adapter and kept for later runs;
 * 2. `npm run replay` (the built CLI) over it, and in the same run a bare `readAll` of the
 *    same events through the client, alternating (readAll, replay, readAll, replay, ...)
 *    so that noise from elsewhere on the machine falls on both: replay events/s and the
 *    ratio, for the best run of each and for each adjacent pair;
 *    then the replay's reader alone (the story subscription, no views), which splits the
 *    gap between the reader and the views;
 * 3. the api (`npm start`'s program) on the same store, caught up on the log: its
 *    catch-up time, resident memory, the live digest against the replay's, then p99 of
 *    `GET /stories/:storyId` and of filtered lists under autocannon load.
 *
 * Prints the figures beside the targets; asserts nothing.
 *
 *   --events N        events in the log (default 1,000,000); stories default to N / 10
 *   --stories N       stories they spread over
 *   --dir PARENT      where the data directory is kept (default: the OS temp dir)
 *   --regenerate      write the log again even when the data directory holds it
 *   --seconds S       length of each autocannon phase (default 10)
 *   --connections C   autocannon connections (default 50)
 *   --rounds R        readAll and replay runs, alternating (default 2)
 *   --cpu-prof        write CPU profiles of the replay and of the api into PARENT
 */
const USAGE =
  'usage: npm run bench:projections -- [--events N] [--stories N] [--dir PARENT] [--regenerate] [--seconds S] [--connections C] [--rounds R] [--cpu-prof]';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    stories: { type: 'string' },
    dir: { type: 'string', default: os.tmpdir() },
    regenerate: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '2' },
    'cpu-prof': { type: 'boolean', default: false },
  },
});

function positive(value: string | undefined, name: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive integer\n${USAGE}`);
  return parsed;
}

const EVENTS = positive(values.events, 'events');
const STORIES = values.stories === undefined ? Math.max(1, Math.round(EVENTS / 10)) : positive(values.stories, 'stories');
const SECONDS = positive(values.seconds, 'seconds');
const CONNECTIONS = positive(values.connections, 'connections');
const ROUNDS = positive(values.rounds, 'rounds');
const CPU_PROF = values['cpu-prof'] === true;
const PARENT = path.resolve(values.dir);
const LOG: GeneratedLog = { events: EVENTS, stories: STORIES, seed: 20250106 };
const DATA_DIR = generatedLogDir(PARENT, LOG);
const READER_TOKEN = 'bench-reader';
const AUDITOR_TOKEN = 'bench-auditor';
const GIB = 2 ** 30;

interface Row {
  readonly measure: string;
  readonly result: string;
  readonly target: string;
}

const n = (value: number): string => Math.round(value).toLocaleString('en-US');
const mib = (bytes: number): string => `${n(bytes / 2 ** 20)} MiB`;
const step = (text: string): void => {
  process.stderr.write(`· ${text}\n`);
};

interface ChildRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runNode(args: readonly string[], env: Record<string, string>): Promise<ChildRun> {
  const child = spawn(process.execPath, [...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function parseJsonLine<T>(run: ChildRun, what: string): T {
  if (run.code !== 0) throw new Error(`${what} exited with ${run.code}:\n${run.stderr}${run.stdout}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as T;
}

interface ReplayReport {
  readonly cpuMicrosPerEvent: number;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly digestMs: number;
  readonly views: { readonly position: string; readonly digest: string; readonly stories: number; readonly events: number };
}

/**
 * Node's flags of the replay script in package.json: a larger young generation (64 MiB
 * semi-spaces instead of 16) means fewer scavenges while the views keep every event
 * they fold; measured here at about a fifth more events/s over 1,000,000 events.
 */
const REPLAY_NODE_FLAGS = ['--max-semi-space-size=64'];

async function replay(connectionString: string): Promise<ReplayReport> {
  const profile = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${PARENT}`, '--cpu-prof-name=replay.cpuprofile'] : [];
  const script = path.join(__dirname, '..', 'apps', 'cli', 'src', 'replay.js');
  const args = [...REPLAY_NODE_FLAGS, ...profile, script, '--json', '--no-progress'];
  return parseJsonLine(await runNode(args, { EVENTSTORE_CONNECTION_STRING: connectionString }), 'the replay');
}

interface BaselineRun {
  readonly events: number;
  readonly seconds: number;
  readonly cpuMicrosPerEvent: number;
}

async function readAll(connectionString: string): Promise<BaselineRun> {
  return parseJsonLine(await runNode([path.join(__dirname, 'projections-read-all.js'), connectionString], {}), 'the bare readAll');
}

/** The replay's reader alone (no views): tells the reader's share of the gap from the views'. */
async function storySubscription(connectionString: string): Promise<BaselineRun> {
  const args = [...REPLAY_NODE_FLAGS, path.join(__dirname, 'projections-read-all.js'), connectionString, '--subscription'];
  return parseJsonLine(await runNode(args, {}), 'the bare story subscription');
}

/** Starts the built api and resolves with its URL once it listens. */
function startApi(connectionString: string): Promise<{ child: ChildProcess; url: string }> {
  const profile = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${PARENT}`, '--cpu-prof-name=api.cpuprofile'] : [];
  const child = spawn(process.execPath, [...profile, path.join(__dirname, '..', 'apps', 'api', 'src', 'main.js')], {
    env: {
      ...process.env,
      NO_COLOR: '1',
      PORT: '0',
      EVENTSTORE_CONNECTION_STRING: connectionString,
      NEWSROOM_TOKENS: `${READER_TOKEN}=reader,${AUDITOR_TOKEN}=auditor`,
      // No rate limits: the bench measures read latencies under load.
      NEWSROOM_RATE_LIMIT_WRITES: 'off',
      NEWSROOM_RATE_LIMIT_READS: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The api logs each 503 of the catch-up wait; its output is shown only if it fails to start.
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString('utf8')).slice(-8_192);
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /listening on (http:\/\/[\d.:]+)/.exec(seen);
      if (match) resolve({ child, url: match[1]! });
    });
    child.once('exit', (code) => reject(new Error(`the api exited (${code}) before it listened:\n${seen}${errors}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Resident and peak resident memory of a process, from /proc (Linux). */
function memoryOf(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kib('VmRSS'), peak: kib('VmHWM') };
  } catch {
    return undefined;
  }
}

async function getJson(url: string, token: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, body: text.length > 0 ? JSON.parse(text) : undefined };
}

/**
 * Waits until the api's views hold every event up to `position`: each read waits a
 * bounded time (?minPosition=) and answers 503 while the views are behind.
 */
async function waitCaughtUp(url: string, position: string): Promise<void> {
  for (;;) {
    const answer = await getJson(`${url}/stories?limit=1&minPosition=${position}`, READER_TOKEN);
    if (answer.status === 200) return;
    if (answer.status !== 503) throw new Error(`GET /stories answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
}

async function load(url: string, paths: (i: number) => string): Promise<{ p50: number; p99: number; rps: number; failures: number }> {
  let sent = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { authorization: `Bearer ${READER_TOKEN}` },
    requests: [
      {
        setupRequest: (request) => {
          sent += 1;
          return { ...request, path: paths(sent) };
        },
      },
    ],
  });
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, failures: result.non2xx + result.errors + result.timeouts };
}

async function main(): Promise<void> {
  step(`bench:projections: ${n(EVENTS)} events over ${n(STORIES)} stories, durable store in ${DATA_DIR}`);
  const reuse = !values.regenerate && holdsGeneratedLog(DATA_DIR, LOG);
  if (!reuse) clearGeneratedLog(DATA_DIR);
  const store = await startStoreProcess({ dataDir: path.join(DATA_DIR, 'store'), readyTimeoutMs: 120_000 });
  const children: ChildProcess[] = [];
  const rows: Row[] = [];
  try {
    if (reuse) {
      step('the log is there from an earlier run (--regenerate writes it again)');
    } else {
      const rate = await writeGeneratedLog(store.connectionString, DATA_DIR, LOG, step);
      rows.push({ measure: 'write the log (batched appends, once)', result: `${n(rate)} events/s`, target: '—' });
    }

    const readAlls: BaselineRun[] = [];
    const replays: ReplayReport[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      step(`bare readAll through the client (round ${round})`);
      readAlls.push(await readAll(store.connectionString));
      step(`npm run replay, the built CLI in a fresh process (round ${round})`);
      replays.push(await replay(store.connectionString));
    }
    step("the replay's reader alone: the story subscription without the views");
    const reader = await storySubscription(store.connectionString);
    const readAllRates = readAlls.map((run) => run.events / run.seconds);
    const replayRates = replays.map((run) => run.eventsPerSecond);
    const bestReplay = Math.max(...replayRates);
    const bestReadAll = Math.max(...readAllRates);
    // The views are the same in every round: the first replay stands for them below.
    const replayed = replays[0]!;
    const rates = (figures: readonly number[]) => figures.map((rate) => n(rate)).join(', ');
    rows.push({
      measure: `replay, all views (${n(replayed.events)} events)`,
      result: `${n(bestReplay)} events/s at best (${rates(replayRates)})`,
      target: '≥ 40,000 events/s',
    });
    rows.push({
      measure: `bare readAll (${n(readAlls[0]!.events)} records)`,
      result: `${n(bestReadAll)} events/s at best (${rates(readAllRates)})`,
      target: '—',
    });
    rows.push({
      measure: 'ratio replay / readAll',
      result: `${(bestReplay / bestReadAll).toFixed(2)} of the bests; each round ${replayRates.map((rate, i) => (rate / readAllRates[i]!).toFixed(2)).join(', ')}`,
      target: '≥ 0.8',
    });
    // CPU per event depends less on what else the machine runs than events/s does.
    const readAllCpu = Math.min(...readAlls.map((run) => run.cpuMicrosPerEvent));
    const replayCpu = Math.min(...replays.map((run) => run.cpuMicrosPerEvent));
    rows.push({
      measure: 'CPU per event: replay, readAll (least)',
      result: `${replayCpu.toFixed(1)} µs, ${readAllCpu.toFixed(1)} µs (ratio ${(readAllCpu / replayCpu).toFixed(2)})`,
      target: '—',
    });
    rows.push({
      measure: `story subscription, no views (${n(reader.events)} events)`,
      result: `${n(reader.events / reader.seconds)} events/s, ${reader.cpuMicrosPerEvent.toFixed(1)} µs of CPU per event`,
      target: '—',
    });
    rows.push({ measure: 'replay digest (node sha256)', result: `${n(replayed.digestMs)} ms`, target: '—' });

    // The generator may leave a few of its story numbers unused: read only stories that exist.
    const storyIds = [...new Set(Array.from(generateNewsroomLog(LOG), (e) => e.storyId))];

    step('the api on the same store, catching up');
    const apiStarted = performance.now();
    const api = await startApi(store.connectionString);
    children.push(api.child);
    await waitCaughtUp(api.url, replayed.views.position);
    const catchUpSeconds = (performance.now() - apiStarted) / 1000;
    rows.push({ measure: 'api start and catch-up', result: `${catchUpSeconds.toFixed(1)} s (${n(replayed.events / catchUpSeconds)} events/s)`, target: '—' });
    const caughtUp = memoryOf(api.child.pid!);

    const live = await getJson(`${api.url}/admin/projections`, AUDITOR_TOKEN);
    const liveDigest = (live.body as { digest?: string; position?: string } | undefined) ?? {};
    rows.push({
      measure: 'live digest = replay digest',
      result:
        liveDigest.digest === replayed.views.digest && liveDigest.position === replayed.views.position
          ? `yes, at ${liveDigest.position}`
          : `NO: live ${JSON.stringify(live.body)}`,
      target: 'yes',
    });

    step(`GET /stories/:storyId under load (${CONNECTIONS} connections, ${SECONDS} s)`);
    const one = await load(api.url, (i) => `/stories/${storyIds[(i * 7919) % storyIds.length]}`);
    rows.push({ measure: 'GET /stories/:storyId', result: `p99 ${one.p99} ms, p50 ${one.p50} ms, ${n(one.rps)} req/s, ${one.failures} failures`, target: '—' });
    const filters = [
      'status=denied&limit=50',
      'status=contested&language=id&limit=50',
      'company=company-42&limit=50',
      'outlet=Contoh%20Berita&language=id&limit=20',
    ];
    step(`GET /stories?<filters> under load (${CONNECTIONS} connections, ${SECONDS} s)`);
    const list = await load(api.url, (i) => `/stories?${filters[i % filters.length]}`);
    rows.push({
      measure: 'GET /stories?status=…&company=…&language=…',
      result: `p99 ${list.p99} ms, p50 ${list.p50} ms, ${n(list.rps)} req/s, ${list.failures} failures`,
      target: '—',
    });

    const loaded = memoryOf(api.child.pid!);
    rows.push({
      measure: `api RSS with ${n(replayed.events)} events, ${n(replayed.views.stories)} stories`,
      result:
        caughtUp === undefined || loaded === undefined
          ? 'unavailable (no /proc)'
          : `${mib(caughtUp.rss)} caught up, ${mib(loaded.rss)} after the load, peak ${mib(loaded.peak)} (${(loaded.peak / GIB).toFixed(2)} GiB)`,
      target: '≤ 1.5 GiB',
    });
  } finally {
    await Promise.all(children.map(stopChild));
    await store.stop();
  }

  const widths = [Math.max(...rows.map((r) => r.measure.length)), Math.max(...rows.map((r) => r.result.length))];
  console.log(`\nbench:projections: ${n(EVENTS)} events over ${n(STORIES)} stories, durable embedded store in a child process (${os.cpus().length} cores)\n`);
  console.log(`${'measure'.padEnd(widths[0]!)}  ${'result'.padEnd(widths[1]!)}  target`);
  for (const row of rows) console.log(`${row.measure.padEnd(widths[0]!)}  ${row.result.padEnd(widths[1]!)}  ${row.target}`);
  if (CPU_PROF) console.log(`\nCPU profiles (replay.cpuprofile, api.cpuprofile) in ${PARENT}`);
  console.log(`\nthe log is kept in ${DATA_DIR} for the next run (--regenerate writes it again)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exitCode = 1;
});
