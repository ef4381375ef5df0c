import { performance } from 'node:perf_hooks';
import type { AllPosition, StoryEventsSubscriptionOptions, StoryFeedMessage } from '@newsroom/event-store';
import { createNewsroomViews, evolveNewsroomViews, type NewsroomViews, viewsPosition } from '@newsroom/projections';

/** What the replay reads: the event-store adapter. */
export interface ReplaySource {
  subscribeToStoryEvents(options?: StoryEventsSubscriptionOptions): {
    nextBatch(max: number): Promise<readonly StoryFeedMessage[] | undefined>;
    close(): Promise<void>;
  };
}

export interface ReplayProgress {
  /** Events applied so far. */
  readonly events: number;
  /** Commit position of the last event applied (-1n before any). */
  readonly position: bigint;
  readonly elapsedMs: number;
}

export interface ReplayOptions {
  /**
   * Inclusive: apply the events at or below this commit position and stop there (the
   * live views' position under --verify, the story head read at start otherwise).
   * Undefined: until the subscription has caught up with the log.
   */
  readonly until?: bigint;
  /**
   * The full place (commit and prepare) of the newest story event, when it is at `until`:
   * the replay stops right after applying it, without waiting for what follows. A node
   * older than 23.10 sends no caught-up message, and nothing may follow the newest event.
   */
  readonly lastEvent?: AllPosition;
  readonly onProgress?: (progress: ReplayProgress) => void;
  /** Events between two onProgress calls. Default 4,096. */
  readonly progressEvery?: number;
}

export interface ReplayResult {
  readonly views: NewsroomViews;
  readonly events: number;
  /** From subscribing to the last event applied. */
  readonly elapsedMs: number;
  /** CPU time this process spent meanwhile (user + system): what the replay costs, apart from waiting. */
  readonly cpuMs: number;
  /** Where the views stand: the commit position of the last event applied (-1n for none). */
  readonly position: bigint;
  /**
   * `target`: the log goes on past `until` (an event or a checkpoint beyond it arrived).
   * `last-event`: the event at `lastEvent` was applied.
   * `caught-up`: every story event in the log was applied, `until` included if it was there.
   */
  readonly stoppedBy: 'target' | 'last-event' | 'caught-up';
}

/**
 * Checkpoints every 100 × 32 events the server's filter considered. A replay needs them
 * only to stop at `until` when no story event sits there; fewer of them is less work.
 */
const CHECKPOINT_INTERVAL = 100;

/**
 * Events applied between two turns of the event loop. While events are queued the loop
 * would run on promises alone, and the socket would be read (and the server's credit
 * returned: grpc-js's HTTP/2 window is 64 KiB, a hundred events or so) only once the queue
 * ran dry; the server then idles. Taking the queue in small batches with a turn between
 * them keeps both sides busy (measured over 1M events: about 5% more events/s than 512).
 */
const EVENTS_PER_TURN = 32;

/**
 * Events decoded ahead of the views before the subscription pauses the client. Each one
 * queued is a graph of objects that outlives a scavenge or two and is copied for nothing;
 * the 64 KiB window keeps the server's side of the pipe full anyway. Measured over 1M
 * events against 2,048: about 1 µs less CPU per event, 1 to 2% more events/s.
 */
const QUEUED_EVENTS = 64;

/**
 * Rebuilds every view from scratch: a catch-up subscription to the story events of `$all`
 * (filtered on the server), applied in order to new views, as the api's runner applies
 * them, and closed past `until` or once caught up. Nothing past `until` is applied, so the
 * digest can be compared with live views that stood at `until`.
 *
 * It stops at the first thing BEYOND `until`, not at an event AT it: on a real node the
 * events of one append may share a commit position, and the views must hold all of them.
 * Only `lastEvent`, known by its full position (commit and prepare), ends it at once.
 */
export async function replayViews(source: ReplaySource, options: ReplayOptions = {}): Promise<ReplayResult> {
  const views = createNewsroomViews();
  const { until, lastEvent, onProgress } = options;
  const every = options.progressEvery ?? 4096;
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  if (until !== undefined && until < 0n) {
    return { views, events: 0, elapsedMs: 0, cpuMs: 0, position: -1n, stoppedBy: 'target' };
  }
  const subscription = source.subscribeToStoryEvents({ checkpointInterval: CHECKPOINT_INTERVAL, highWaterMark: QUEUED_EVENTS });
  let events = 0;
  let stoppedBy: ReplayResult['stoppedBy'] | undefined;
  let lastAt: AllPosition | undefined;
  try {
    replay: for (;;) {
      const batch = await subscription.nextBatch(EVENTS_PER_TURN);
      if (batch === undefined) break;
      for (const message of batch) {
        if (message.kind === 'event') {
          const position = message.at.commit;
          if (until !== undefined && position > until) {
            stoppedBy = 'target';
            break replay;
          }
          evolveNewsroomViews(views, message.event);
          lastAt = message.at;
          events += 1;
          if (onProgress !== undefined && events % every === 0) {
            onProgress({ events, position, elapsedMs: performance.now() - started });
          }
          if (lastEvent !== undefined && position === lastEvent.commit && message.at.prepare === lastEvent.prepare) {
            stoppedBy = 'last-event';
            break replay;
          }
        } else if (message.kind === 'checkpoint') {
          // Every story event below a checkpoint was delivered: past `until`, nothing is left to apply.
          if (until !== undefined && message.position.commit > until) {
            stoppedBy = 'target';
            break replay;
          }
        } else if (message.kind === 'caught-up') {
          stoppedBy = 'caught-up';
          break replay;
        }
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    await subscription.close();
  }
  if (stoppedBy === undefined) throw new Error('the $all subscription ended before the replay was done');
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuAtStart);
  onProgress?.({ events, position: lastAt?.commit ?? -1n, elapsedMs });
  return { views, events, elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000, position: viewsPosition(views), stoppedBy };
}
