import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EventStoreAdapter } from '@newsroom/event-store';
import type { NewsroomViews } from '@newsroom/projections';
import { problem, ProblemException } from '../errors/problem-details';
import { invalidQuery } from './read-params';
import { ProjectionRunner, type RunnerStatus, type StoryChange } from './projection.runner';
import { DEFAULT_READ_WAIT_MS, VIEWS_OPTIONS, type ViewsOptions } from './views.options';

/** The largest commit position there is (a real node's positions are unsigned 64-bit). */
const MAX_POSITION = 2n ** 64n - 1n;

/**
 * The api's views and their runner, started with the app and stopped before the
 * store closes. Reads go through `read`, which waits for `?minPosition=` first.
 */
@Injectable()
export class ViewsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projections');
  private readonly runner: ProjectionRunner;
  readonly readWaitMs: number;
  private dropped = false;
  /** The views once held the newest story event seen in `$all`: reads need not wait for catch-up again. */
  private headReached = false;

  constructor(
    @Inject(EventStoreAdapter) private readonly store: EventStoreAdapter,
    @Inject(VIEWS_OPTIONS) options: ViewsOptions,
  ) {
    this.readWaitMs = options.readWaitMs ?? DEFAULT_READ_WAIT_MS;
    this.runner = new ProjectionRunner(options.feed ?? store, {
      ...(options.initialBackoffMs === undefined ? {} : { initialBackoffMs: options.initialBackoffMs }),
      ...(options.maxBackoffMs === undefined ? {} : { maxBackoffMs: options.maxBackoffMs }),
      // One warning per outage, not one per attempt.
      onDrop: (error, attempt, retryInMs) => {
        if (this.dropped) return;
        this.dropped = true;
        this.logger.warn(`$all subscription dropped (${String(error)}); resubscribing, next attempt in ${retryInMs} ms (attempt ${attempt})`);
      },
      onFault: (description) => this.logger.error(`an event the views cannot fold was skipped: ${description}`),
      onResume: (after) => {
        if (!this.dropped) return;
        this.dropped = false;
        this.logger.log(`$all subscription resumed after position ${after?.commit ?? 'start'}`);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }

  get views(): NewsroomViews {
    return this.runner.views;
  }

  status(): RunnerStatus {
    return this.runner.status();
  }

  onChange(listener: (change: StoryChange) => void): () => void {
    return this.runner.onChange(listener);
  }

  /**
   * Read-your-writes: resolves once the views hold every story event up to
   * `minPosition` (a commit position from a 201), or answers 503 after the bound.
   */
  async reach(minPosition: string | undefined): Promise<void> {
    if (minPosition === undefined) return this.firstCatchUp();
    const position = parseMinPosition(minPosition);
    const started = performance.now();
    if (await this.runner.waitFor(position, this.readWaitMs)) return;
    throw new ProblemException(
      problem(
        503,
        'VIEWS_BEHIND',
        'The views have not reached the requested position',
        `The views did not reach position ${position} within ${this.readWaitMs} ms; retry later.`,
        { minPosition: position.toString(), viewsPosition: this.runner.status().position, waitedMs: Math.round(performance.now() - started) },
      ),
      { 'retry-after': '1' },
    );
  }

  /**
   * Until the views first catch up with the log (a process starting on a long
   * history), a plain read would show a partial newsroom as if it were all: it waits
   * for the catch-up instead, bounded like minPosition. After that, reads answer at once.
   */
  private async firstCatchUp(): Promise<void> {
    if (this.runner.hasCaughtUpOnce() || this.headReached) return;
    if (await this.untilFirstCatchUp()) return;
    throw new ProblemException(
      problem(
        503,
        'VIEWS_CATCHING_UP',
        'The views are still catching up with the log',
        `The views have not caught up with the event store yet (at position ${this.runner.status().position}); retry later.`,
        {
          viewsPosition: this.runner.status().position,
        },
      ),
      { 'retry-after': '1' },
    );
  }

  /**
   * The server's caught-up message, or else the views holding the newest story event:
   * a node older than EventStoreDB 23.10 sends no caught-up message at all.
   */
  private async untilFirstCatchUp(): Promise<boolean> {
    const deadline = performance.now() + this.readWaitMs;
    let head: bigint | undefined;
    try {
      head = (await this.store.readStoryHead(this.readWaitMs)).storyHead?.commit ?? -1n;
    } catch {
      head = undefined; // unknown while the store is unreachable: only the caught-up message counts
    }
    const left = Math.max(0, deadline - performance.now());
    const reached = await Promise.race([this.runner.waitForFirstCatchUp(left), ...(head === undefined ? [] : [this.runner.waitFor(head, left)])]);
    if (reached && head !== undefined && this.runner.hasReached(head)) this.headReached = true;
    return reached;
  }

  /**
   * Where the newest story event sits in `$all`, and how far `position` (the views')
   * is behind it in commit-position units; nulls when the store does not answer.
   */
  async lag(position: bigint, deadlineMs = 2_000): Promise<{ storyHead: string | null; positions: string | null }> {
    try {
      const { storyHead } = await this.store.readStoryHead(deadlineMs);
      if (storyHead === undefined) return { storyHead: null, positions: '0' };
      const behind = storyHead.commit > position ? storyHead.commit - position : 0n;
      return { storyHead: storyHead.commit.toString(), positions: behind.toString() };
    } catch {
      // The store is unreachable: the lag is unknown, the views still answer.
      return { storyHead: null, positions: null };
    }
  }
}

/** A commit position as a decimal string; anything else is the caller's 400 INVALID_QUERY. */
export function parseMinPosition(text: string): bigint {
  if (!/^\d{1,20}$/.test(text) || BigInt(text) > MAX_POSITION) {
    throw invalidQuery([{ parameter: 'minPosition', detail: 'minPosition must be a commit position (a decimal integer below 2^64), as in a 201 answer' }]);
  }
  return BigInt(text);
}
