import autocannon from 'autocannon';
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pidusage from 'pidusage';
import { SEED_STORY_EVENTS } from '@newsroom/domain';
import { startStoreProcess } from '../apps/store/src/store.process';
import type { ClientsCommand, ClientsStats } from './live-clients';

/**
 * `npm run bench:live`: the intake beside open `/stream` clients (issue 12). Asserts
 * nothing; prints the figures beside their targets.
 *
 * The durable embedded store runs in a process of its own (so the api's CPU is the api's
 * alone: HTTP, the views, the append and feed threads, the fan-out), the api in another
 * (`main`, as `npm start` runs it but on the external store), the SSE clients in two more
 * (live-clients.ts: raw sockets that count frames; the probes, in a process of their own,
 * parse ids and send times), and autocannon here.
 *
 *   1. full rate: 50 connections post as fast as the api answers (a report, then company
 *      denials, to stories of their own), first with no stream open, then with 100;
 *   2. a breaking story's pace: 200 new stories a second for 30 s with 1,000 streams
 *      open, beside the same pace with none (what the posts alone cost the api). Each
 *      post's headline carries its send time, read back by the probes from the story
 *      summary of the frame they receive.
 *
 * The api's CPU "per delivery" is what the streams add: the api's CPU in the phase minus
 * what the same posts cost it with no stream open (measured in the matching phase), over
 * the story frames the clients received. The raw figure (all of the api's CPU over the
 * deliveries) is printed beside it. RSS per client: the api's RSS (median of a few
 * samples) with the 1,000 streams open and idle, minus without, over 1,000.
 *
 *   --seconds S          each full-rate phase (default 10)
 *   --pace-seconds S     the breaking story's phase (default 30; its baseline is min(S, 10))
 *   --clients N          streams during the breaking story (default 1000)
 *   --full-clients N     streams during the second full-rate phase (default 100)
 *   --rate R             posts per second of the breaking story (default 200)
 *   --connections C      autocannon connections at full rate (default 50)
 *   --probes P           clients that parse every frame for latency and order (default 50)
 *   --rounds R           full-rate pairs (none, then with streams), alternating (default 2)
 *   --flush-ms MS        the api's LIVE_FLUSH_MS (default: the api's own)
 *   --writes-per-second W  the api's LIVE_WRITES_PER_SECOND (default: the api's own)
 *   --quick              a trial run: 3 s phases, 8 s breaking story, 300 clients, 1 round
 *   --node-args="…"      extra flags for the api's node (e.g. "--cpu-prof --cpu-prof-dir=DIR")
 */
const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    'pace-seconds': { type: 'string' },
    clients: { type: 'string' },
    'full-clients': { type: 'string', default: '100' },
    rate: { type: 'string', default: '200' },
    connections: { type: 'string', default: '50' },
    probes: { type: 'string', default: '50' },
    rounds: { type: 'string' },
    'flush-ms': { type: 'string' },
    'writes-per-second': { type: 'string' },
    quick: { type: 'boolean', default: false },
    'node-args': { type: 'string', default: '' },
  },
});
const QUICK = values.quick;
const SECONDS = Number(values.seconds ?? (QUICK ? 3 : 10));
const PACE_SECONDS = Number(values['pace-seconds'] ?? (QUICK ? 8 : 30));
const CLIENTS = Number(values.clients ?? (QUICK ? 300 : 1000));
const FULL_CLIENTS = Number(values['full-clients']);
const RATE = Number(values.rate);
const CONNECTIONS = Number(values.connections);
const PROBES = Number(values.probes);
const ROUNDS = Math.max(1, Number(values.rounds ?? (QUICK ? 1 : 2)));
/** `npm start`'s node flags, as bench:intake runs the api. */
const NODE_ARGS = ['--max-semi-space-size=32', ...values['node-args'].split(' ').filter((arg) => arg !== '')];

const WRITER = 'bench-writer';
const READER = 'bench-reader';
const PER_STORY = 5;
const report = SEED_STORY_EVENTS[0]!;
const denial = SEED_STORY_EVENTS.find((event) => event.type === 'CompanyDenied' && event.data.companyId === 'ford')!;
const REPORT_BODY = JSON.stringify(report);
const DENIAL_BODY = JSON.stringify(denial);
/** A report whose headline is replaced by the send time (`bench t=<ms>`). */
const [TIMED_BEFORE, TIMED_AFTER] = JSON.stringify({ ...report, data: { ...report.data, headline: '@@' } }).split('@@') as [string, string];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One SSE clients' process, one command at a time. */
class ClientsProcess {
  private constructor(private readonly child: ChildProcess) {}

  static start(): ClientsProcess {
    return new ClientsProcess(fork(path.join(__dirname, 'live-clients.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }

  ask<T>(command: ClientsCommand): Promise<T> {
    return new Promise((resolve) => {
      this.child.once('message', (answer) => resolve(answer as T));
      this.child.send(command);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** What both clients' processes saw: the bulk's counts added to the probes', the latencies the probes'. */
interface AudienceStats extends ClientsStats {
  readonly bulkLoopDelayP99: number;
}

/**
 * The SSE clients: the probes in a process of their own, the bulk in another. A thousand
 * streams can keep one process busy enough that frames wait in its sockets; the probes'
 * latencies then stay the api's and the kernel's, not the bulk readers' backlog (the
 * api's writes to one stream do not wait for another).
 */
class Audience {
  private readonly probes = ClientsProcess.start();
  private readonly bulk = ClientsProcess.start();
  private bulkOpen = 0;

  async ask(command: ClientsCommand): Promise<void> {
    await Promise.all([this.probes.ask(command), this.bulk.ask(command)]);
  }

  async open(url: string, count: number): Promise<void> {
    const probes = Math.min(PROBES, count);
    this.bulkOpen = count - probes;
    await Promise.all([
      this.probes.ask({ cmd: 'open', url, token: READER, count: probes, probes }),
      this.bulkOpen === 0 ? undefined : this.bulk.ask({ cmd: 'open', url, token: READER, count: this.bulkOpen, probes: 0 }),
    ]);
  }

  async close(): Promise<void> {
    await this.ask({ cmd: 'close' });
  }

  async stats(): Promise<AudienceStats> {
    const [probes, bulk] = await Promise.all([this.probes.ask<ClientsStats>({ cmd: 'stats' }), this.bulk.ask<ClientsStats>({ cmd: 'stats' })]);
    return {
      ...probes,
      open: probes.open + bulk.open,
      deliveries: probes.deliveries + bulk.deliveries,
      ended: probes.ended + bulk.ended,
      resets: probes.resets + bulk.resets,
      cpuMicros: probes.cpuMicros + bulk.cpuMicros,
      bulkLoopDelayP99: bulk.loopDelayP99,
    };
  }

  /** Waits until the clients have received `expected` frames, or nothing more arrives for 2 s. */
  async settle(expected: number): Promise<AudienceStats> {
    let stats = await this.stats();
    let still = 0;
    for (let waited = 0; stats.deliveries < expected && still < 8 && waited < 60; waited++) {
      await sleep(250);
      const next = await this.stats();
      still = next.deliveries === stats.deliveries ? still + 1 : 0;
      stats = next;
    }
    return stats;
  }

  async stop(): Promise<void> {
    await Promise.all([this.probes.stop(), this.bulk.stop()]);
  }
}

interface Phase {
  readonly label: string;
  readonly clients: number;
  readonly posted: number;
  readonly postsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly failures: number;
  /** The api's CPU in the phase (µs), until the clients had every frame. */
  readonly apiCpu: number;
  readonly clientStats: AudienceStats | undefined;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function cpuMicros(pid: number): Promise<number> {
  return (await pidusage(pid)).ctime * 1000;
}

async function rssMedian(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push((await pidusage(pid)).memory);
    await sleep(200);
  }
  return samples.sort((a, b) => a - b)[2]!;
}

interface Api {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
}

function startApi(env: Record<string, string>): Promise<Api> {
  const script = path.join(__dirname, '..', 'apps', 'api', 'src', 'main.js');
  const child = spawn(process.execPath, [...NODE_ARGS, script], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const url = /listening on (http:\/\/[\d.:]+)/.exec(seen)?.[1];
      if (url !== undefined) resolve({ url, pid: child.pid!, child });
    });
    child.once('exit', (code) => reject(new Error(`the api exited (${code}) before it was ready:\n${seen}`)));
  });
}

/**
 * One load phase. `pace` undefined: as fast as the api answers (reports then denials);
 * else that many posts a second, each a new story whose headline is its send time.
 */
async function load(label: string, api: Api, clients: Audience | undefined, openClients: number, seconds: number, pace?: number): Promise<Phase> {
  await clients?.ask({ cmd: 'zero' });
  const cpuBefore = await cpuMicros(api.pid);
  const run = `${label}-${Date.now().toString(36)}`;
  let stories = 0;
  const result = await autocannon({
    url: api.url,
    // At a pace, enough connections that a slow answer does not hold the rate back.
    connections: pace === undefined ? CONNECTIONS : Math.max(20, Math.ceil(pace / 4)),
    duration: seconds,
    ...(pace === undefined ? {} : { overallRate: pace }),
    method: 'POST',
    headers: { authorization: `Bearer ${WRITER}`, 'content-type': 'application/json', 'x-newsroom-tool': 'bench:live' },
    requests: [
      {
        setupRequest: (request, context: { id?: string; sent?: number }) => {
          if (pace !== undefined) {
            stories += 1;
            return { ...request, path: `/stories/${run}-${stories}/events`, body: `${TIMED_BEFORE}bench t=${Date.now()}${TIMED_AFTER}` };
          }
          context.id ??= `${run}-${Math.random().toString(36).slice(2, 10)}`;
          const sent = context.sent ?? 0;
          context.sent = sent + 1;
          return {
            ...request,
            path: `/stories/${context.id}-${Math.floor(sent / PER_STORY)}/events`,
            body: sent % PER_STORY === 0 ? REPORT_BODY : DENIAL_BODY,
          };
        },
      },
    ],
  });
  const posted = result['2xx'];
  const clientStats = clients === undefined || openClients === 0 ? undefined : await clients.settle(posted * openClients);
  if (clientStats === undefined) await sleep(500); // the views fold the last posts
  const apiCpu = (await cpuMicros(api.pid)) - cpuBefore;
  return {
    label,
    clients: openClients,
    posted,
    postsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    apiCpu,
    clientStats,
  };
}

async function main(): Promise<void> {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'bench-live-'));
  console.log(
    `bench:live: full rate ${SECONDS} s × ${CONNECTIONS} connections with 0 and ${FULL_CLIENTS} streams; breaking story ${RATE} posts/s × ${PACE_SECONDS} s with ${CLIENTS} streams ` +
      `(${Math.min(PROBES, CLIENTS)} probes)${values['flush-ms'] === undefined ? '' : `, LIVE_FLUSH_MS=${values['flush-ms']}`}` +
      `${values['writes-per-second'] === undefined ? '' : `, LIVE_WRITES_PER_SECOND=${values['writes-per-second']}`}; ${os.cpus().length} cores, load average ${os
        .loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')}`,
  );
  const store = await startStoreProcess({ dataDir: path.join(parent, 'store') });
  let api: Api | undefined;
  const clients = new Audience();
  try {
    api = await startApi({
      PORT: '0',
      EVENTSTORE_CONNECTION_STRING: store.connectionString,
      NEWSROOM_TOKENS: `${WRITER}=writer,${READER}=reader`,
      // The bench measures the fan-out, not the per-token budgets.
      NEWSROOM_RATE_LIMIT_WRITES: 'off',
      NEWSROOM_RATE_LIMIT_READS: 'off',
      LIVE_CONNECTIONS_PER_TOKEN: String(Math.max(CLIENTS, FULL_CLIENTS) + 10),
      ...(values['flush-ms'] === undefined ? {} : { LIVE_FLUSH_MS: values['flush-ms'] }),
      ...(values['writes-per-second'] === undefined ? {} : { LIVE_WRITES_PER_SECOND: values['writes-per-second'] }),
    });
    // JIT, pools and the store's caches warm up unmeasured.
    await load('warmup', api, undefined, 0, Math.min(3, SECONDS));
    // Memory first, while the api holds little else that a collection could give back meanwhile.
    const rssWithout = await rssMedian(api.pid);
    await clients.open(api.url, CLIENTS);
    await sleep(2_000);
    const rssWith = await rssMedian(api.pid);
    await clients.close();

    // Alternating, so that load from elsewhere on the machine falls on both sides.
    const full0s: Phase[] = [];
    const fullNs: Phase[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      full0s.push(await load(`full-0-r${round}`, api, clients, 0, SECONDS));
      await clients.open(api.url, FULL_CLIENTS);
      fullNs.push(await load(`full-${FULL_CLIENTS}-r${round}`, api, clients, FULL_CLIENTS, SECONDS));
      await clients.close();
    }

    const pace0 = await load('pace-0', api, clients, 0, Math.min(10, PACE_SECONDS), RATE);
    await clients.open(api.url, CLIENTS);
    await sleep(1_000);
    const paceN = await load(`pace-${CLIENTS}`, api, clients, CLIENTS, PACE_SECONDS, RATE);
    const paceEnd = await clients.stats();
    await clients.close();

    const n = (value: number) => Math.round(value).toLocaleString('en-US');
    const us = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} µs`;
    const perPost = (phase: Phase) => phase.apiCpu / Math.max(1, phase.posted);
    /** What the streams added to the api's CPU, per frame delivered; and all of its CPU per frame. */
    const perDelivery = (phase: Phase, baseline: Phase) => {
      const deliveries = Math.max(1, phase.clientStats?.deliveries ?? 0);
      return { added: (phase.apiCpu - perPost(baseline) * phase.posted) / deliveries, all: phase.apiCpu / deliveries };
    };

    console.log('');
    console.log(
      `${'phase'.padEnd(11)} ${'streams'.padStart(7)} ${'posts'.padStart(7)} ${'posts/s'.padStart(8)} ${'p50/p99 ms'.padStart(11)} ${'api CPU/post'.padStart(13)} ${'delivered'.padStart(18)} ${'failed'.padStart(6)}`,
    );
    for (const phase of [...full0s.flatMap((phase, i) => [phase, fullNs[i]!]), pace0, paceN]) {
      const delivered = phase.clientStats === undefined ? '' : `${n(phase.clientStats.deliveries)}/${n(phase.posted * phase.clients)}`;
      console.log(
        `${phase.label.padEnd(11)} ${String(phase.clients).padStart(7)} ${n(phase.posted).padStart(7)} ${n(phase.postsPerSecond).padStart(8)} ${`${phase.p50}/${phase.p99}`.padStart(11)} ` +
          `${us(perPost(phase)).padStart(13)} ${delivered.padStart(18)} ${String(phase.failures).padStart(6)}`,
      );
    }

    const row = (name: string, value: string, target: string) => console.log(`${name.padEnd(58)} ${value.padStart(20)}   ${target}`);
    const ratios = fullNs.map((phase, i) => phase.postsPerSecond / full0s[i]!.postsPerSecond);
    const fullDeliveries = fullNs.map((phase, i) => perDelivery(phase, full0s[i]!));
    const paceDelivery = perDelivery(paceN, pace0);
    const latency = paceN.clientStats!.latencies;
    console.log('');
    row('measure', 'result', 'target');
    const med = (phases: readonly Phase[], of: (phase: Phase) => number) => median(phases.map(of));
    row(`full rate: posts/s with 0 streams (median of ${ROUNDS})`, n(med(full0s, (p) => p.postsPerSecond)), '');
    row(`full rate: posts/s with ${FULL_CLIENTS} streams`, n(med(fullNs, (p) => p.postsPerSecond)), '');
    row(
      `full rate: ratio ${FULL_CLIENTS} streams / none (median; each round)`,
      `${median(ratios).toFixed(2)}; ${ratios.map((r) => r.toFixed(2)).join(', ')}`,
      '>= 0.7',
    );
    row('full rate: p99 with 0 / with streams', `${med(full0s, (p) => p.p99)} / ${med(fullNs, (p) => p.p99)} ms`, '');
    row('full rate: api CPU per post with 0 / with streams', `${us(med(full0s, perPost))} / ${us(med(fullNs, perPost))}`, '');
    row(
      'full rate: api CPU per delivery (added by streams; all)',
      `${us(median(fullDeliveries.map((d) => d.added)))}; ${us(median(fullDeliveries.map((d) => d.all)))}`,
      '',
    );
    row(
      `breaking story: post-to-delivery p50 / p99 (${n(latency.count)} samples)`,
      `${latency.p50.toFixed(1)} / ${latency.p99.toFixed(1)} ms`,
      'p99 <= 250 ms',
    );
    row('breaking story: post-to-delivery max', `${latency.max.toFixed(1)} ms`, '');
    const stamped = paceN.clientStats!.sinceRecorded;
    row("  of which recordedAt (the api's clock) to delivery p50 / p99", `${stamped.p50.toFixed(1)} / ${stamped.p99.toFixed(1)} ms`, '');
    row('breaking story: posts/s reached, post p99', `${n(paceN.postsPerSecond)}, ${paceN.p99} ms`, `${RATE}`);
    row('breaking story: api CPU per delivery (added by streams; all)', `${us(paceDelivery.added)}; ${us(paceDelivery.all)}`, '<= 1 µs');
    row('breaking story: api CPU per post without / with streams', `${us(perPost(pace0))} / ${us(perPost(paceN))}`, '');
    row(
      `RSS per idle stream (${n(rssWithout / 2 ** 20)} -> ${n(rssWith / 2 ** 20)} MiB)`,
      `${((rssWith - rssWithout) / CLIENTS / 1024).toFixed(1)} KiB`,
      '<= 64 KiB',
    );
    row(
      'clients: frames out of order (probes) / resets / ended',
      `${fullNs.reduce((sum, p) => sum + p.clientStats!.outOfOrder, 0) + paceN.clientStats!.outOfOrder} / ${paceEnd.resets} / ${paceEnd.ended}`,
      '0 / 0 / 0',
    );
    row("clients' processes' CPU per delivery (breaking story)", us(paceN.clientStats!.cpuMicros / Math.max(1, paceN.clientStats!.deliveries)), '');
    row(
      "clients' event-loop delay p99: probes, bulk (breaking story)",
      `${paceN.clientStats!.loopDelayP99.toFixed(1)}, ${paceN.clientStats!.bulkLoopDelayP99.toFixed(1)} ms`,
      '',
    );
    console.log(
      `\nload average at the end: ${os
        .loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')} (${os.cpus().length} cores)`,
    );
  } finally {
    await clients.stop();
    if (api !== undefined && api.child.exitCode === null) {
      const exited = new Promise((resolve) => api!.child.once('exit', resolve));
      api.child.kill('SIGTERM');
      await exited;
    }
    await store.stop();
    rmSync(parent, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
