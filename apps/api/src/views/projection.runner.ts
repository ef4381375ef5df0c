import type { AllPosition, StoryFeedMessage } from '@newsroom/event-store';
import { createNewsroomViews, evolveNewsroomViews, hasApplied, type NewsroomViews, type ViewEvent, viewsPosition } from '@newsroom/projections';

/** What the runner reads: the event-store adapter, or a scripted source in unit tests. */
export interface StoryEventSource {
  subscribeToStoryEvents(options: { after?: AllPosition; checkpointInterval?: number }): {
    /** Up to `max` messages, waiting for one; undefined once ended; throws a drop. */
    nextBatch(max: number): Promise<readonly StoryFeedMessage[] | undefined>;
    close(): Promise<void>;
  };
}

/**
 * Messages handled between two turns of the event loop. Catching up, the queue would
 * otherwise be drained on promises alone, with requests and the socket unread meanwhile
 * (and the server's flow-control credit unreturned): small batches keep reads answering
 * and the store sending.
 */
const MESSAGES_PER_TURN = 32;

export interface RunnerOptions {
  /** First pause before resubscribing after a drop; doubles per failed attempt. Default 100 ms. */
  readonly initialBackoffMs?: number;
  /** Longest pause between attempts. Default 5 s. */
  readonly maxBackoffMs?: number;
  /** The client's checkpoint multiplier (× 32 events considered). Default 1. */
  readonly checkpointInterval?: number;
  /** Told of each drop (logging); the runner itself never gives up. */
  readonly onDrop?: (error: unknown, attempt: number, retryInMs: number) => void;
  readonly onResume?: (after: AllPosition | undefined) => void;
  /** Told of an event the views could not fold (it is skipped). */
  readonly onFault?: (description: string) => void;
}

export type RunnerState = 'idle' | 'catching-up' | 'live' | 'reconnecting' | 'stopped';

/** A story changed: published to the live feed right after the views applied the event. */
export interface StoryChange {
  readonly event: ViewEvent;
  readonly views: NewsroomViews;
}

export interface RunnerStatus {
  readonly state: RunnerState;
  /** Commit position of the last event applied ("-1" before any). */
  readonly position: string;
  /** Every story event up to this commit position has been applied (checkpoints included). */
  readonly reached: string;
  /** The views applied everything written before the subscription went live, and it is live. */
  readonly caughtUp: boolean;
  readonly eventsApplied: number;
  readonly subscriptions: number;
  readonly lastError: string | null;
  /** Events the views could not fold, skipped; and the last one. */
  readonly faults: number;
  readonly lastFault: string | null;
}

interface Waiter {
  /** A position to reach, or undefined: the first caught-up. */
  readonly position: bigint | undefined;
  readonly settle: (reached: boolean) => void;
}

/**
 * Keeps the api's views up to date: one catch-up subscription to the story events
 * of `$all`, applied in order to views held in memory.
 *
 * Delivery guarantee: after a drop (connection lost, store restarted) the runner
 * resubscribes AFTER the last event it applied, with exponential backoff, forever.
 * Nothing is skipped (the subscription is exclusive of a position already applied)
 * and nothing is applied twice (the views ignore events at or below their watermark,
 * so a server that repeats an event changes nothing).
 */
export class ProjectionRunner {
  readonly views: NewsroomViews = createNewsroomViews();
  private readonly listeners = new Set<(change: StoryChange) => void>();
  private waiters: Waiter[] = [];
  private lastApplied: AllPosition | undefined;
  /** Highest position known to be fully applied: the last event, or a later checkpoint. */
  private reachedPosition = -1n;
  private state: RunnerState = 'idle';
  private caughtUp = false;
  /** Caught up at least once since start: the views hold the whole log as it was then. */
  private everCaughtUp = false;
  private eventsApplied = 0;
  private subscriptions = 0;
  private lastError: string | null = null;
  private faults = 0;
  private lastFault: string | null = null;
  private current: { close(): Promise<void> } | undefined;
  private loop: Promise<void> | undefined;
  private cancelPause: (() => void) | undefined;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(
    private readonly source: StoryEventSource,
    private readonly options: RunnerOptions = {},
  ) {
    this.initialBackoffMs = options.initialBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
  }

  start(): void {
    if (this.loop !== undefined) return;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.caughtUp = false;
    this.cancelPause?.();
    await this.current?.close();
    await this.loop;
    this.listeners.clear();
  }

  /** Called synchronously after each event applied; returns the unsubscribe function. */
  onChange(listener: (change: StoryChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): RunnerStatus {
    return {
      state: this.state,
      position: viewsPosition(this.views).toString(),
      reached: this.reachedPosition.toString(),
      caughtUp: this.caughtUp,
      eventsApplied: this.eventsApplied,
      subscriptions: this.subscriptions,
      lastError: this.lastError,
      faults: this.faults,
      lastFault: this.lastFault,
    };
  }

  /** True when every story event at or below `position` is in the views. */
  hasReached(position: bigint): boolean {
    return this.reachedPosition >= position;
  }

  /**
   * Resolves true once the views have applied everything up to `position`, or false
   * after `timeoutMs` (read-your-writes with a bounded wait).
   */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.hasReached(position)) return Promise.resolve(true);
    return this.wait(position, timeoutMs);
  }

  /** True once the views have caught up with the log at least once since start. */
  hasCaughtUpOnce(): boolean {
    return this.everCaughtUp;
  }

  /** Resolves true once the first catch-up is done (at once after that), or false after `timeoutMs`. */
  waitForFirstCatchUp(timeoutMs: number): Promise<boolean> {
    if (this.everCaughtUp) return Promise.resolve(true);
    return this.wait(undefined, timeoutMs);
  }

  private wait(position: bigint | undefined, timeoutMs: number): Promise<boolean> {
    if (timeoutMs <= 0 || this.state === 'stopped') return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        position,
        settle: (reached) => {
          clearTimeout(timer);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (this.isRunning()) {
      const subscription = this.source.subscribeToStoryEvents({
        ...(this.lastApplied === undefined ? {} : { after: this.lastApplied }),
        ...(this.options.checkpointInterval === undefined ? {} : { checkpointInterval: this.options.checkpointInterval }),
      });
      this.current = subscription;
      this.subscriptions += 1;
      if (this.subscriptions > 1) this.options.onResume?.(this.lastApplied);
      this.state = 'catching-up';
      try {
        for (;;) {
          const batch = await subscription.nextBatch(MESSAGES_PER_TURN);
          if (batch === undefined || !this.isRunning()) break;
          attempt = 0;
          for (const message of batch) this.handle(message);
          if (batch.length === MESSAGES_PER_TURN) await new Promise<void>((resolve) => setImmediate(resolve));
        }
      } catch (error) {
        if (!this.isRunning()) break;
        this.lastError = error instanceof Error ? error.message : String(error);
      }
      if (!this.isRunning()) break;
      await subscription.close();
      // The iteration ended without stop(): the subscription dropped (or ended); go again.
      this.state = 'reconnecting';
      this.caughtUp = false;
      const pause = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** attempt);
      attempt += 1;
      this.options.onDrop?.(this.lastError, attempt, pause);
      await this.pause(pause);
    }
    this.releaseWaiters();
  }

  private handle(message: StoryFeedMessage): void {
    switch (message.kind) {
      case 'event': {
        const { event, at } = message;
        // The views would ignore it too; checking first keeps a repeated event out of the feed.
        if (!hasApplied(this.views, event)) {
          try {
            evolveNewsroomViews(this.views, event);
            this.eventsApplied += 1;
            this.publish({ event, views: this.views });
          } catch (error) {
            // An event the views cannot fold (written by another tool, unchecked) would
            // otherwise stop them for good: resubscribing meets it again. It is skipped,
            // counted and reported; a replay meets the same event and fails the same way.
            this.faults += 1;
            this.lastFault = `${event.storyId}@${event.revision} (${event.type}): ${error instanceof Error ? error.message : String(error)}`;
            this.options.onFault?.(this.lastFault);
          }
        }
        this.lastApplied = at;
        this.advance(at.commit);
        return;
      }
      case 'checkpoint':
        // Strictly past: a node's checkpoint may name the position of an event not yet delivered.
        this.advance(message.position.commit - 1n);
        return;
      case 'caught-up':
        this.state = 'live';
        this.caughtUp = true;
        if (!this.everCaughtUp) {
          this.everCaughtUp = true;
          this.settleWaiters((w) => w.position === undefined);
        }
        return;
      case 'fell-behind':
        this.state = 'catching-up';
        this.caughtUp = false;
        return;
      default: {
        const _unhandled: never = message;
        return _unhandled;
      }
    }
  }

  private publish(change: StoryChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A listener's failure (a client gone mid-write) is its own; the views go on.
      }
    }
  }

  private advance(position: bigint): void {
    if (position <= this.reachedPosition) return;
    this.reachedPosition = position;
    if (this.waiters.length > 0) this.settleWaiters((w) => w.position !== undefined && w.position <= position);
  }

  private settleWaiters(isDue: (waiter: Waiter) => boolean): void {
    const due = this.waiters.filter(isDue);
    if (due.length === 0) return;
    this.waiters = this.waiters.filter((w) => !isDue(w));
    for (const waiter of due) waiter.settle(true);
  }

  private isRunning(): boolean {
    return this.state !== 'stopped';
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.cancelPause = done;
    });
  }

  /** On stop, waiting reads give up at once rather than hold the shutdown. */
  private releaseWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.settle(false);
  }
}
