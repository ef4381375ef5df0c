import {
  type AllStreamSubscription,
  BACKWARDS,
  END,
  type EventStoreDBClient,
  type Position,
  type ResolvedEvent,
  START,
  streamNameFilter,
} from '@eventstore/db-client';
import { STORY_STREAM_PREFIX } from '@newsroom/domain';
import type { StoredStoryEvent } from './event-store.adapter';
import { toEventStoreError } from './client-error.mapping';
import { EventStoreError, type EventStoreErrorCode } from './event-store.errors';

/** A place in `$all`. On a real node commit and prepare positions may differ; resuming needs both. */
export interface AllPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/**
 * What a subscription to the newsroom's story events delivers, in `$all` order:
 * - `event`: a story event, deserialised and upcast by the adapter, with its full position;
 * - `checkpoint`: the server has considered `$all` up to `position` (events it filtered
 *   out included); every story event at or below it was delivered before this message;
 * - `caught-up`: every event written before the subscription started has been delivered;
 *   the events that follow are live;
 * - `fell-behind`: the server switched back to catching up (the consumer was too slow).
 */
export type StoryFeedMessage =
  | { readonly kind: 'event'; readonly event: StoredStoryEvent; readonly at: AllPosition }
  | { readonly kind: 'checkpoint'; readonly position: AllPosition }
  | { readonly kind: 'caught-up' }
  | { readonly kind: 'fell-behind' };

export interface StoryEventsSubscriptionOptions {
  /** Exclusive: deliver what comes after this position. Undefined: from the start of `$all`. */
  readonly after?: AllPosition;
  /**
   * Checkpoints every `checkpointInterval` × 32 events considered by the server's filter
   * (the client's multiplier of the server's search window). Default 1.
   */
  readonly checkpointInterval?: number;
  /** Events queued for the consumer before the subscription pauses the server's stream. Default 2,048. */
  readonly highWaterMark?: number;
}

/**
 * The subscription ended without being closed by its consumer: the server went away,
 * the connection broke, or the server ended the call. Resubscribe from the last position
 * applied; `cause` holds the client's own error, `reason` our mapping of it.
 */
export class SubscriptionDroppedError extends EventStoreError {
  readonly code = 'SUBSCRIPTION_DROPPED' as const;

  constructor(
    message: string,
    /** STORE_UNAVAILABLE when the store could not be reached, else what the mapping said. */
    readonly reason: EventStoreErrorCode | 'ENDED_BY_SERVER',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

type Deserialise = (resolved: ResolvedEvent) => StoredStoryEvent | undefined;

/**
 * A catch-up subscription to `$all`, filtered ON THE SERVER to the story streams
 * (`story-` prefix), then live. Iterate it once with `for await`; `close()` ends the
 * iteration without error. A drop ends it with a SubscriptionDroppedError.
 *
 * Why a queue of our own instead of iterating the client's stream: `caughtUp` and
 * checkpoints arrive as stream events beside the data, and the client emits them as
 * soon as it reads them, possibly while earlier events still sit in its buffer. Each
 * marker is therefore queued after the events read before it (the count delivered
 * plus what the buffer holds), so the consumer sees them in `$all` order, and a
 * marker reaches the consumer even while no further event arrives.
 */
export class StoryEventsSubscription implements AsyncIterable<StoryFeedMessage> {
  private readonly subscription: AllStreamSubscription;
  private readonly highWaterMark: number;
  private readonly queue: StoryFeedMessage[] = [];
  private head = 0;
  /** Markers waiting for the events read before them: [records seen when due, message]. */
  private readonly pendingMarkers: [number, StoryFeedMessage][] = [];
  /** Records (events of any kind) handed out by the client's stream so far. */
  private seen = 0;
  private failure: EventStoreError | undefined;
  private finished = false;
  private closed = false;
  private iterated = false;
  private wake: (() => void) | undefined;

  constructor(client: EventStoreDBClient, deserialise: Deserialise, options: StoryEventsSubscriptionOptions = {}) {
    this.highWaterMark = options.highWaterMark ?? 2048;
    const after = options.after;
    this.subscription = client.subscribeToAll({
      fromPosition: after === undefined ? START : { commit: after.commit, prepare: after.prepare },
      filter: streamNameFilter({
        prefixes: [STORY_STREAM_PREFIX],
        checkpointInterval: options.checkpointInterval ?? 1,
        checkpointReached: (_subscription, position: Position) => {
          this.mark({ kind: 'checkpoint', position: { commit: position.commit, prepare: position.prepare } });
        },
      }),
    });
    this.subscription.on('data', (resolved: ResolvedEvent) => {
      this.seen += 1;
      const recorded = resolved.event;
      const event = deserialise(resolved);
      if (event !== undefined && recorded?.position !== undefined) {
        // The client's own position object: read-only here, and one object fewer per event.
        this.enqueue({ kind: 'event', event, at: recorded.position });
      }
      this.releaseMarkers();
      if (this.queue.length - this.head >= this.highWaterMark) this.subscription.pause();
    });
    this.subscription.on('caughtUp', () => this.mark({ kind: 'caught-up' }));
    this.subscription.on('fellBehind', () => this.mark({ kind: 'fell-behind' }));
    this.subscription.on('error', (error: unknown) => {
      if (this.closed) return;
      const mapped = toEventStoreError(error, '$all');
      this.fail(new SubscriptionDroppedError(`the $all subscription dropped: ${mapped.message}`, mapped.code, { cause: error }));
    });
    this.subscription.on('end', () => {
      if (this.closed) return;
      this.fail(new SubscriptionDroppedError('the server ended the $all subscription', 'ENDED_BY_SERVER'));
    });
    this.subscription.on('close', () => {
      if (this.closed || this.failure !== undefined) return;
      this.fail(new SubscriptionDroppedError('the $all subscription closed', 'ENDED_BY_SERVER'));
    });
  }

  /** Ends the subscription; a pending or later iteration step finishes without error. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.finished = true;
    this.wake?.();
    try {
      await this.subscription.unsubscribe();
    } catch {
      // Cancelling a call whose channel is already gone has nothing left to do.
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<StoryFeedMessage> {
    if (this.iterated) throw new Error('a story events subscription can be iterated once');
    this.iterated = true;
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return { done: true, value: undefined };
      },
    };
  }

  private async next(): Promise<IteratorResult<StoryFeedMessage>> {
    const batch = await this.take(1);
    return batch === undefined ? { done: true, value: undefined } : { done: false, value: batch[0]! };
  }

  /**
   * The messages queued, up to `max`, waiting for at least one; undefined once the
   * subscription is closed or has ended after delivering everything; throws the drop
   * like iteration does. One await per batch instead of one per event: a replay of a
   * long log spends less on promises. Use it or the iterator, not both.
   */
  nextBatch(max = 512): Promise<StoryFeedMessage[] | undefined> {
    this.iterated = true;
    return this.take(max);
  }

  private async take(max: number): Promise<StoryFeedMessage[] | undefined> {
    for (;;) {
      if (this.closed) return undefined;
      const available = this.queue.length - this.head;
      if (available > 0) {
        const count = Math.min(available, max);
        const batch = count === 1 ? [this.queue[this.head]!] : this.queue.slice(this.head, this.head + count);
        this.head += count;
        if (this.head === this.queue.length) {
          this.queue.length = 0;
          this.head = 0;
        } else if (this.head >= 4096 && this.head * 2 >= this.queue.length) {
          this.queue.splice(0, this.head);
          this.head = 0;
        }
        if (this.subscription.isPaused() && this.queue.length - this.head < this.highWaterMark / 2) this.subscription.resume();
        return batch;
      }
      if (this.failure !== undefined) throw this.failure;
      if (this.finished) return undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }

  private enqueue(message: StoryFeedMessage): void {
    this.queue.push(message);
    this.wake?.();
  }

  private mark(message: StoryFeedMessage): void {
    // Records still in the client's buffer were read from the server before this marker.
    const dueAt = this.seen + this.subscription.readableLength;
    if (dueAt <= this.seen && this.pendingMarkers.length === 0) this.enqueue(message);
    else this.pendingMarkers.push([dueAt, message]);
  }

  private releaseMarkers(): void {
    while (this.pendingMarkers.length > 0 && this.pendingMarkers[0]![0] <= this.seen) {
      this.enqueue(this.pendingMarkers.shift()![1]);
    }
  }

  private fail(error: EventStoreError): void {
    if (this.finished) return;
    // Markers whose events were delivered stay valid; the rest are lost with the buffer.
    this.releaseMarkers();
    this.failure = error;
    this.finished = true;
    this.wake?.();
  }
}

/** How far back from the end of `$all` the head lookup searches for a story event. */
const HEAD_SEARCH_DEPTH = 64;

/**
 * The position of the newest story event in `$all`: what a subscriber that has applied
 * everything stands at. Undefined when none is found among the last 64 records (an empty
 * log, or a tail of other streams' events); then `lastPosition` says where `$all` ends.
 */
export async function readStoryHead(
  client: EventStoreDBClient,
  deadlineMs?: number,
): Promise<{ readonly storyHead: AllPosition | undefined; readonly lastPosition: AllPosition | undefined }> {
  let storyHead: AllPosition | undefined;
  let lastPosition: AllPosition | undefined;
  try {
    const read = client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: HEAD_SEARCH_DEPTH,
      ...(deadlineMs === undefined ? {} : { deadline: deadlineMs }),
    });
    for await (const resolved of read) {
      const position = resolved.event?.position;
      if (position === undefined) continue;
      lastPosition ??= { commit: position.commit, prepare: position.prepare };
      // Read to the end rather than break: leaving a read early keeps its call open and
      // then holds up the client's dispose.
      if (storyHead === undefined && resolved.event!.streamId.startsWith(STORY_STREAM_PREFIX)) {
        storyHead = { commit: position.commit, prepare: position.prepare };
      }
    }
  } catch (error) {
    throw toEventStoreError(error, '$all');
  }
  return { storyHead, lastPosition };
}
