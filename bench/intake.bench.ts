import autocannon from 'autocannon';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pidusage from 'pidusage';
import { SEED_STORY_EVENTS, type StoryEvent } from '@newsroom/domain';
import { classValidatorAccepts, validatePostedEvents } from '../apps/api/src/intake/posted-events.validator';
import { startStoreProcess } from '../apps/store/src/store.process';

/**
 * `npm run bench:intake`: the api loaded by autocannon with single events to many
 * stories (each connection posts a report, then company responses, to stories of its
 * own), beside a bare Fastify route that appends the same events through the same
 * client to the same store. Prints events/s, p50/p99 and the ratio beside the targets
 * of issue 3, the CPU time each process spends per event, and the cost of validation
 * per event. Asserts nothing.
 *
 * The same topology for both sides: the durable embedded store in a process of its own
 * (data in a fresh directory), the api in another, the bare route in a third. The api
 * stays up while the bare route is loaded, so its views subscription reads back and folds
 * the bare route's events too (the count is printed): the store serves the same reader
 * and the machine carries the same folding in both phases; only who answers HTTP
 * differs. The phases alternate (intake, bare, intake, bare, ...) so that load from
 * elsewhere on the machine falls on both; the median of the rounds is shown with the
 * range, and the ratio of each round. A last phase runs the api as `npm start` does,
 * with the store in the api's process (on a worker thread).
 *
 * The bare route is the issue's baseline as written: one thread that parses HTTP and calls
 * the client. The api appends from a worker thread of its own (append.thread.ts), so its
 * ratio compares the whole design, not the framework alone; the CPU per event of each
 * process is printed beside it for that reason.
 *
 *   --seconds S       length of each load phase (default 10)
 *   --connections C   concurrent connections (default 50)
 *   --per-story N     events posted to each story: a report, then company responses (default 5)
 *   --rounds R        intake and bare phases, alternating (default 2)
 *   --node-args="…"   extra flags for node in the api and bare route processes (profiling:
 *                     "--cpu-prof --cpu-prof-dir=DIR")
 *   --rate-limited    the api counts every post against a writes budget it never reaches
 *                     (what counting costs); by default it runs without rate limits
 */
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    'per-story': { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    'node-args': { type: 'string', default: '' },
    'rate-limited': { type: 'boolean', default: false },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const PER_STORY = Number(values['per-story']);
const ROUNDS = Math.max(1, Number(values.rounds));
/**
 * Node's flags of `npm start` (and the Dockerfile's CMD), given to the api and to the bare
 * route alike: 32 MiB semi-spaces instead of 16 mean fewer scavenges of what the requests
 * in flight hold (measured here: about a tenth more posts per second, the bare route
 * unchanged).
 */
const START_NODE_FLAGS = ['--max-semi-space-size=32'];
const NODE_ARGS = [...START_NODE_FLAGS, ...values['node-args'].split(' ').filter((arg) => arg !== '')];
const TOKEN = 'bench-writer';
/** Reads /admin/projections between phases: how many events the api's views folded. */
const AUDITOR_TOKEN = 'bench-auditor';

const report = SEED_STORY_EVENTS[0]!;
const denial = SEED_STORY_EVENTS.find((event) => event.type === 'CompanyDenied' && event.data.companyId === 'ford')!;
const REPORT_BODY = JSON.stringify(report);
const DENIAL_BODY = JSON.stringify(denial);

interface Phase {
  readonly label: string;
  readonly eventsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly failures: number;
  /** CPU time per answered request of the process that answered HTTP, and of the store's process (µs). */
  readonly serverCpu: number;
  readonly storeCpu: number;
  /** CPU time per answered request of the api's process: in a bare phase, its views' reading and folding alone. */
  readonly apiCpu: number;
  /** CPU time per answered request of this process: autocannon, the load generator (µs). */
  readonly loaderCpu: number;
  /** Events the api's views folded during the phase. */
  readonly folded: number;
  /** The machine's 1-minute load average at the end of the phase. */
  readonly load: number;
}

/** The processes whose CPU a phase measures, and where the api's views report. */
interface Target {
  readonly url: string;
  readonly serverPid: number;
  readonly storePid: number;
  readonly apiPid: number;
  readonly viewsUrl: string;
}

/** Starts a built program and resolves once its output matches `pattern` (with everything it printed so far). */
function start(script: string, env: Record<string, string>, pattern: RegExp): Promise<{ child: ChildProcess; output: string }> {
  const child = spawn(process.execPath, [...NODE_ARGS, script], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) resolve({ child, output: seen });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before it was ready:\n${seen}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** CPU time (user + system) a process has used so far, in ms. */
async function cpuMs(pid: number): Promise<number> {
  return (await pidusage(pid)).ctime;
}

/** Events the api's views have folded since it started. */
async function folded(viewsUrl: string): Promise<number> {
  const answer = await fetch(`${viewsUrl}/admin/projections`, { headers: { authorization: `Bearer ${AUDITOR_TOKEN}` } });
  if (!answer.ok) throw new Error(`GET /admin/projections answered ${answer.status}`);
  return ((await answer.json()) as { runner: { eventsApplied: number } }).runner.eventsApplied;
}

/** Each connection posts to stories of its own, one after another: a report, then responses. */
async function load(label: string, target: Target, run: string, seconds = SECONDS): Promise<Phase> {
  const pids = [target.serverPid, target.storePid, target.apiPid];
  // The views' digest that /admin/projections computes is kept out of the CPU window.
  const foldedBefore = await folded(target.viewsUrl);
  const before = await Promise.all(pids.map(cpuMs));
  const loaderBefore = process.cpuUsage();
  const result = await autocannon({
    url: target.url,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'x-newsroom-tool': 'bench:intake' },
    requests: [
      {
        setupRequest: (request, context: { id?: string; sent?: number }) => {
          context.id ??= `${run}-${label}-${Math.random().toString(36).slice(2, 10)}`;
          const sent = context.sent ?? 0;
          context.sent = sent + 1;
          const story = `${context.id}-${Math.floor(sent / PER_STORY)}`;
          return { ...request, path: `/stories/${story}/events`, body: sent % PER_STORY === 0 ? REPORT_BODY : DENIAL_BODY };
        },
      },
    ],
  });
  // The views fold each event shortly after its 201: give the last ones a moment.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const loader = process.cpuUsage(loaderBefore);
  const after = await Promise.all(pids.map(cpuMs));
  const foldedAfter = await folded(target.viewsUrl);
  const answered = Math.max(1, result.requests.total);
  const perEvent = (index: number) => ((after[index]! - before[index]!) * 1000) / answered;
  return {
    label,
    eventsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    serverCpu: perEvent(0),
    storeCpu: perEvent(1),
    apiCpu: perEvent(2),
    loaderCpu: (loader.user + loader.system) / answered,
    folded: foldedAfter - foldedBefore,
    load: os.loadavg()[0]!,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function validationCost(): { reference: number; compiled: number } {
  const bodies = SEED_STORY_EVENTS.map((event) => JSON.parse(JSON.stringify(event)) as StoryEvent);
  const time = (run: (event: StoryEvent) => unknown) => {
    for (let i = 0; i < 20_000; i++) run(bodies[i % bodies.length]!);
    const rounds = 100_000;
    const started = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) run(bodies[i % bodies.length]!);
    return Number(process.hrtime.bigint() - started) / 1_000 / rounds;
  };
  return {
    reference: time((event) => classValidatorAccepts(event.type, event.data as unknown as Record<string, unknown>)),
    compiled: time((event) => validatePostedEvents(event)),
  };
}

async function main(): Promise<void> {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'bench-intake-'));
  const run = Date.now().toString(36);
  console.log(
    `bench:intake: ${CONNECTIONS} connections, ${SECONDS} s per phase, ${ROUNDS} rounds, ${PER_STORY} events per story, ` +
      `${values['rate-limited'] ? 'posts counted against a rate limit, ' : ''}` +
      `${os.cpus().length} cores, load average ${os
        .loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')}, durable stores under ${parent}`,
  );
  const validation = validationCost();
  const apiMain = path.join(__dirname, '..', 'apps', 'api', 'src', 'main.js');
  // No rate limits unless asked: the bench measures what the intake can take.
  const apiEnv = {
    PORT: '0',
    NEWSROOM_TOKENS: `${TOKEN}=writer,${AUDITOR_TOKEN}=auditor`,
    NEWSROOM_RATE_LIMIT_WRITES: values['rate-limited'] ? '999999999/h' : 'off',
    NEWSROOM_RATE_LIMIT_READS: 'off',
  };
  const listening = (output: string) => /listening on (http:\/\/[\d.:]+)/.exec(output)![1]!;
  const children: ChildProcess[] = [];
  const store = await startStoreProcess({ dataDir: path.join(parent, 'store') });
  try {
    const api = await start(apiMain, { ...apiEnv, EVENTSTORE_CONNECTION_STRING: store.connectionString }, /listening on http/);
    children.push(api.child);
    const bare = await start(path.join(__dirname, 'intake-bare-route.js'), { EVENTSTORE_CONNECTION_STRING: store.connectionString }, /listening on http/);
    children.push(bare.child);
    const viewsUrl = listening(api.output);
    const apiPid = api.child.pid!;
    const intakeTarget: Target = { url: viewsUrl, serverPid: apiPid, storePid: store.child.pid!, apiPid, viewsUrl };
    const bareTarget: Target = { url: listening(bare.output), serverPid: bare.child.pid!, storePid: store.child.pid!, apiPid, viewsUrl };
    // A short unmeasured load first: JIT, connection pools and the store's caches warm up.
    await load('intake-warmup', intakeTarget, run, Math.min(3, SECONDS));
    await load('bare-warmup', bareTarget, run, Math.min(3, SECONDS));
    const intake: Phase[] = [];
    const bareRoute: Phase[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      intake.push(await load(`intake${round}`, intakeTarget, run));
      bareRoute.push(await load(`bare${round}`, bareTarget, run));
    }
    await Promise.all(children.splice(0).map(stop));

    // main prints where the api listens, then where its embedded store does; the store's
    // CPU is the api process's own here.
    const inProcess = await start(
      apiMain,
      { ...apiEnv, EMBEDDED_STORE_PORT: '0', EMBEDDED_STORE_DATA_DIR: path.join(parent, 'in-process') },
      /embedded store in-process at/,
    );
    children.push(inProcess.child);
    const inProcessUrl = listening(inProcess.output);
    const inProcessPid = inProcess.child.pid!;
    const npmStartTarget: Target = { url: inProcessUrl, serverPid: inProcessPid, storePid: inProcessPid, apiPid: inProcessPid, viewsUrl: inProcessUrl };
    await load('npm-start-warmup', npmStartTarget, run, Math.min(3, SECONDS));
    const npmStart = await load('npm-start', npmStartTarget, run);

    const n = (value: number) => Math.round(value).toLocaleString('en-US');
    const us = (value: number) => `${Math.round(value)} µs`;
    const rate = (phases: readonly Phase[]) =>
      `${n(median(phases.map((p) => p.eventsPerSecond)))}${phases.length > 1 ? ` (${n(Math.min(...phases.map((p) => p.eventsPerSecond)))}–${n(Math.max(...phases.map((p) => p.eventsPerSecond)))})` : ''}`;
    const latency = (phases: readonly Phase[]) => `${median(phases.map((p) => p.p50))} / ${median(phases.map((p) => p.p99))} ms`;
    const ratios = intake.map((phase, index) => phase.eventsPerSecond / bareRoute[index]!.eventsPerSecond);

    console.log('');
    console.log(
      `${'phase'.padEnd(12)} ${'events/s'.padStart(9)} ${'p50/p99 ms'.padStart(11)} ${'CPU/event: server, store'.padStart(25)} ${'views folded'.padStart(13)} ${'load'.padStart(5)}`,
    );
    for (const phase of [...intake.flatMap((p, i) => [p, bareRoute[i]!]), npmStart]) {
      console.log(
        `${phase.label.padEnd(12)} ${n(phase.eventsPerSecond).padStart(9)} ${`${phase.p50}/${phase.p99}`.padStart(11)} ` +
          `${`${us(phase.serverCpu)}, ${phase.label === 'npm-start' ? '(same)' : us(phase.storeCpu)}`.padStart(25)} ${n(phase.folded).padStart(13)} ${phase.load.toFixed(2).padStart(5)}`,
      );
    }

    const row = (name: string, value: string, target: string) => console.log(`${name.padEnd(48)} ${value.padStart(22)}   ${target}`);
    console.log('');
    row('measure', 'result', 'target');
    row(`intake events/s (median of ${ROUNDS}, range)`, rate(intake), '>= 3,000');
    row('intake latency p50 / p99 (medians)', latency(intake), 'p99 <= 50 ms');
    row('bare route events/s', rate(bareRoute), '');
    row('bare route latency p50 / p99', latency(bareRoute), '');
    row('ratio intake / bare route (median)', median(ratios).toFixed(2), '>= 0.6');
    row('  ratio of each round', ratios.map((ratio) => ratio.toFixed(2)).join(', '), '');
    row('CPU per event: api, store (intake phases)', `${us(median(intake.map((p) => p.serverCpu)))}, ${us(median(intake.map((p) => p.storeCpu)))}`, '');
    row('CPU per request: autocannon (intake phases)', us(median(intake.map((p) => p.loaderCpu))), '');
    row(
      'CPU per event: bare route, store (bare phases)',
      `${us(median(bareRoute.map((p) => p.serverCpu)))}, ${us(median(bareRoute.map((p) => p.storeCpu)))}`,
      '',
    );
    row("  the api's views alone (api process, bare phases)", us(median(bareRoute.map((p) => p.apiCpu))), '');
    row('npm start (store in-process) events/s', n(npmStart.eventsPerSecond), '');
    row('npm start (store in-process) p50 / p99', `${npmStart.p50} / ${npmStart.p99} ms`, '');
    row('validation, class-validator validateSync', `${validation.reference.toFixed(1)} µs/event`, '');
    row('validation, intake (compiled verdict)', `${validation.compiled.toFixed(1)} µs/event`, '');
    const failures = (phases: readonly Phase[]) => phases.reduce((sum, phase) => sum + phase.failures, 0);
    row('failed requests (intake, bare, npm start)', `${failures(intake)} / ${failures(bareRoute)} / ${npmStart.failures}`, '0 / 0 / 0');
    console.log(
      `\nload average at the end: ${os
        .loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')} (${os.cpus().length} cores)`,
    );
  } finally {
    await Promise.all(children.map(stop));
    await store.stop();
    rmSync(parent, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
