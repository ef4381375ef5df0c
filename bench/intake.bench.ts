import autocannon from 'autocannon';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SEED_STORY_EVENTS, type StoryEvent } from '@newsroom/domain';
import { classValidatorAccepts, validatePostedEvents } from '../apps/api/src/intake/posted-events.validator';
import { startStoreProcess } from '../apps/store/src/store.process';

/**
 * `npm run bench:intake`: the api loaded by autocannon with single events to many
 * stories (each connection posts a report, then company responses, to stories of its
 * own), beside a bare Fastify route that appends the same events through the same
 * client to the same store. Each runs in a process of its own, and so does the durable
 * embedded store (data in a fresh directory): the same topology for both, so the ratio
 * measures the intake. A last phase runs the api as `npm start` does, with the store
 * in the api's process (on a worker thread). Prints events/s,
 * p50/p99 and the ratio beside the targets of issue 3, and the cost of validation per
 * event. Asserts nothing.
 *
 *   --seconds S       length of each load phase (default 10)
 *   --connections C   concurrent connections (default 50)
 *   --per-story N     events posted to each story: a report, then company responses (default 5)
 */
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    'per-story': { type: 'string', default: '5' },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const PER_STORY = Number(values['per-story']);
const TOKEN = 'bench-writer';

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
}

/** Starts a built program and resolves once its output matches `pattern` (with everything it printed so far). */
function start(script: string, env: Record<string, string>, pattern: RegExp): Promise<{ child: ChildProcess; output: string }> {
  const child = spawn(process.execPath, [script], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
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

/** Each connection posts to stories of its own, one after another: a report, then responses. */
async function load(label: string, url: string, run: string, seconds = SECONDS): Promise<Phase> {
  const result = await autocannon({
    url,
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
  return {
    label,
    eventsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
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
  console.log(`bench:intake: ${CONNECTIONS} connections, ${SECONDS} s per phase, ${PER_STORY} events per story, durable stores under ${parent}`);
  const validation = validationCost();
  const apiMain = path.join(__dirname, '..', 'apps', 'api', 'src', 'main.js');
  const apiEnv = { PORT: '0', NEWSROOM_TOKENS: `${TOKEN}=writer` };
  const listening = (output: string) => /listening on (http:\/\/[\d.:]+)/.exec(output)![1]!;
  // A short unmeasured load first: JIT, connection pools and the store's caches warm up.
  const measure = async (label: string, url: string) => {
    await load(`${label}-warmup`, url, run, Math.min(3, SECONDS));
    return load(label, url, run);
  };
  const children: ChildProcess[] = [];
  const store = await startStoreProcess({ dataDir: path.join(parent, 'store') });
  try {
    const api = await start(apiMain, { ...apiEnv, EVENTSTORE_CONNECTION_STRING: store.connectionString }, /listening on http/);
    children.push(api.child);
    const intake = await measure('intake', listening(api.output));
    const bare = await start(path.join(__dirname, 'intake-bare-route.js'), { EVENTSTORE_CONNECTION_STRING: store.connectionString }, /listening on http/);
    children.push(bare.child);
    const bareRoute = await measure('bare', listening(bare.output));
    await Promise.all(children.splice(0).map(stop));

    // main prints where the api listens, then where its embedded store does.
    const inProcess = await start(
      apiMain,
      { ...apiEnv, EMBEDDED_STORE_PORT: '0', EMBEDDED_STORE_DATA_DIR: path.join(parent, 'in-process') },
      /embedded store in-process at/,
    );
    children.push(inProcess.child);
    const npmStart = await measure('npm-start', listening(inProcess.output));

    const row = (name: string, value: string, target: string) => console.log(`${name.padEnd(48)} ${value.padStart(16)}   ${target}`);
    const perSecond = (phase: Phase) => Math.round(phase.eventsPerSecond).toLocaleString('en-US');
    console.log('');
    row('measure', 'result', 'target');
    row('intake events/s', perSecond(intake), '>= 3,000');
    row('intake latency p50 / p99', `${intake.p50} / ${intake.p99} ms`, 'p99 <= 50 ms');
    row('bare route events/s', perSecond(bareRoute), '');
    row('bare route latency p50 / p99', `${bareRoute.p50} / ${bareRoute.p99} ms`, '');
    row('ratio intake / bare route', (intake.eventsPerSecond / bareRoute.eventsPerSecond).toFixed(2), '>= 0.6');
    row('npm start (store in-process) events/s', perSecond(npmStart), '');
    row('npm start (store in-process) p50 / p99', `${npmStart.p50} / ${npmStart.p99} ms`, '');
    row('validation, class-validator validateSync', `${validation.reference.toFixed(1)} µs/event`, '');
    row('validation, intake (compiled verdict)', `${validation.compiled.toFixed(1)} µs/event`, '');
    row('failed requests (intake, bare, npm start)', `${intake.failures} / ${bareRoute.failures} / ${npmStart.failures}`, '0 / 0 / 0');
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
