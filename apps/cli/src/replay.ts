// `npm run replay [-- --verify <api url>] [--json]`: rebuilds every view from $all in this
// fresh process and prints events/s and the digest of the views at the position reached;
// with --verify, compares it with the live digest of a running api at the same position.
import { createHash } from 'node:crypto';
import { EventStoreAdapter } from '@newsroom/event-store';
import { digestViews, type ViewsDigest } from '@newsroom/projections';
import { type Environment, readEnvironmentOrExit, redactConnectionString } from '@newsroom/config';
import { fetchLiveDigest, type LiveDigest, LiveDigestError } from './live-digest.client';
import { parseReplayOptions, REPLAY_USAGE, type ReplayOptions, UsageError } from './replay.options';
import { replayProgressBar } from './replay.progress';
import { replayViews, type ReplayResult } from './replay.runner';

/** The store could not be read, or the api could not be asked: exit code 2. */
class ReplayFailure extends Error {}

const EXIT_OK = 0;
const EXIT_DIFFERENT = 1;
const EXIT_FAILURE = 2;

/** How long the store may take to answer the first read before we say nothing is listening. */
const PING_DEADLINE_MS = 5_000;

interface Report {
  readonly store: string;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** CPU time per event applied (user + system, µs): the replay's own cost, whatever the store's speed. */
  readonly cpuMicrosPerEvent: number;
  readonly stoppedBy: ReplayResult['stoppedBy'];
  readonly digestMs: number;
  readonly views: ViewsDigest;
  readonly verify?: { readonly url: string; readonly live: LiveDigest; readonly equal: boolean; readonly reason?: string };
}

async function main(argv: readonly string[], config: Environment<'replay'>): Promise<number> {
  let options: ReplayOptions | 'help';
  try {
    options = parseReplayOptions(argv, config);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`replay: ${error.message}\n${REPLAY_USAGE.split('\n')[0]}\n`);
    return EXIT_FAILURE;
  }
  if (options === 'help') {
    process.stdout.write(`${REPLAY_USAGE}\n`);
    return EXIT_OK;
  }
  try {
    const report = await replay(options);
    process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : textReport(report));
    if (report.verify !== undefined && !report.verify.equal) {
      process.stderr.write(`replay: the live views and the log DIFFER: ${report.verify.reason}\n`);
      return EXIT_DIFFERENT;
    }
    return EXIT_OK;
  } catch (error) {
    if (error instanceof ReplayFailure || error instanceof LiveDigestError) {
      process.stderr.write(`replay: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
}

async function replay(options: ReplayOptions): Promise<Report> {
  const shownStore = `${redactConnectionString(options.connectionString)} (${options.storeSource})`;
  const store = EventStoreAdapter.connect(options.connectionString);
  try {
    try {
      await store.ping(PING_DEADLINE_MS);
    } catch (error) {
      throw new ReplayFailure(
        `no EventStoreDB answers at ${shownStore}: ${clientMessage(error)}\n` +
          'Start the api with its embedded store (npm start), or point EVENTSTORE_CONNECTION_STRING at a running EventStoreDB.',
      );
    }

    // The live digest first: the replay stops at ITS position, though the api may move on meanwhile.
    const live = options.verifyUrl === undefined ? undefined : await fetchLiveDigest(options.verifyUrl, options.token ?? '');
    const head = await store.readStoryHead(30_000).catch((error: unknown) => {
      throw new ReplayFailure(`cannot read the end of $all at ${shownStore}: ${(error as Error).message}`);
    });
    let until: bigint | undefined;
    if (live !== undefined) until = BigInt(live.position);
    // No story event among the log's last records: replay until caught up, whatever it holds.
    else until = head.storyHead?.commit ?? (head.lastPosition === undefined ? -1n : undefined);
    // The newest story event, read after the live digest, is where the replay may stop at once.
    const lastEvent = head.storyHead !== undefined && head.storyHead.commit === until ? head.storyHead : undefined;
    const total = until ?? head.lastPosition?.commit;

    // cli-progress draws only on a terminal; elsewhere the bar would be work for nothing.
    const bar = options.progress && process.stderr.isTTY ? replayProgressBar(total) : undefined;
    let result: ReplayResult;
    try {
      result = await replayViews(store, { until, lastEvent, onProgress: bar === undefined ? undefined : (progress) => bar.update(progress) });
    } catch (error) {
      throw new ReplayFailure(`the replay stopped: ${(error as Error).message}`);
    } finally {
      bar?.stop();
    }

    const digestStarted = performance.now();
    // Node's SHA-256: the same digest as the lib's default (same function of the same text), faster.
    const views = digestViews(result.views, () => createHash('sha256'));
    const digestMs = performance.now() - digestStarted;
    const seconds = result.elapsedMs / 1000;
    return {
      store: redactConnectionString(options.connectionString),
      events: result.events,
      seconds,
      eventsPerSecond: seconds > 0 ? Math.round(result.events / seconds) : 0,
      cpuMicrosPerEvent: result.events > 0 ? Math.round(((result.cpuMs * 1000) / result.events) * 10) / 10 : 0,
      stoppedBy: result.stoppedBy,
      digestMs: Math.round(digestMs),
      views,
      ...(live === undefined ? {} : { verify: compare(options.verifyUrl ?? '', live, views) }),
    };
  } finally {
    await store.close();
  }
}

/** The client's message without its empty trailer. */
function clientMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.?\s*Resolution note:\s*$/, '');
}

function compare(url: string, live: LiveDigest, replayed: ViewsDigest): NonNullable<Report['verify']> {
  if (replayed.position !== live.position) {
    return {
      url,
      live,
      equal: false,
      reason:
        `the log's story events end at position ${replayed.position}, before the live views' position ${live.position} ` +
        '(is the api reading another store?)',
    };
  }
  if (replayed.digest !== live.digest) {
    return {
      url,
      live,
      equal: false,
      reason:
        `at position ${live.position} the live digest is ${live.digest} (${live.stories} stories, ${live.events} events) ` +
        `but the replay gives ${replayed.digest} (${replayed.stories} stories, ${replayed.events} events)`,
    };
  }
  return { url, live, equal: true };
}

function textReport(report: Report): string {
  const n = (value: number): string => value.toLocaleString('en-US');
  const { views } = report;
  const lines = [
    `store        ${report.store}`,
    `replayed     ${n(report.events)} events in ${report.seconds.toFixed(2)} s: ${n(report.eventsPerSecond)} events/s (${report.cpuMicrosPerEvent} µs of CPU per event)`,
    `views        at position ${views.position}: ${n(views.stories)} stories, ${n(views.companies)} companies, ${n(views.events)} events`,
    `digest       ${views.digest} (sha256, ${n(report.digestMs)} ms)`,
  ];
  if (report.verify !== undefined) {
    const { live } = report.verify;
    lines.push(`live views   ${report.verify.url}: position ${live.position}, digest ${live.digest}`);
    lines.push(report.verify.equal ? `verify       EQUAL at position ${live.position}` : `verify       DIFFERENT: ${report.verify.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

// Piped into `head`, stdout closes early: that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2), readEnvironmentOrExit('replay')).then(
  (code) => {
    process.exitCode = code;
    // The client's channel normally lets the process end at once; never hang a script on it.
    setTimeout(() => process.exit(code), 2_000).unref();
  },
  (error: unknown) => {
    process.stderr.write(`replay failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = EXIT_FAILURE;
    setTimeout(() => process.exit(EXIT_FAILURE), 2_000).unref();
  },
);
