import type { AllStreamResolvedEvent, AllStreamSubscription, Position, ResolvedEvent, StreamSubscription } from '@eventstore/db-client';

type Resolved = ResolvedEvent | AllStreamResolvedEvent;

interface Waiter {
  check: () => boolean;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Records what a subscription delivers, in the order the client emits it, and
 * lets a test wait for a condition with a bounded timeout instead of sleeping.
 *
 * Events are taken from the 'data' event (flowing mode), so `caughtUpAfter`
 * is exact: the client emits 'caughtUp' from the same transform that pushes
 * events, and a flowing stream hands each event over before the next message.
 */
export class SubscriptionRecorder {
  readonly events: Resolved[] = [];
  readonly checkpoints: Position[] = [];
  /** Number of events received when each 'caughtUp' arrived. */
  readonly caughtUpAfter: number[] = [];
  /** Number of events received when each checkpoint arrived. */
  readonly checkpointAfter: number[] = [];
  confirmed = false;
  error: Error | undefined;
  private subscription: StreamSubscription | AllStreamSubscription | undefined;
  private readonly waiters = new Set<Waiter>();

  /** Pass as `checkpointReached` in a filter: the client awaits it before the next message. */
  readonly checkpointReached = (_subscription: AllStreamSubscription, position: Position): void => {
    this.checkpoints.push(position);
    this.checkpointAfter.push(this.events.length);
    this.changed();
  };

  attach<S extends StreamSubscription | AllStreamSubscription>(subscription: S): S {
    this.subscription = subscription;
    subscription.on('data', (resolved: Resolved) => {
      this.events.push(resolved);
      this.changed();
    });
    subscription.on('confirmation', () => {
      this.confirmed = true;
      this.changed();
    });
    subscription.on('caughtUp', () => {
      this.caughtUpAfter.push(this.events.length);
      this.changed();
    });
    subscription.on('error', (error: Error) => {
      this.error = error;
      for (const waiter of this.waiters) waiter.reject(error);
      this.waiters.clear();
    });
    return subscription;
  }

  /** Events of one stream (or all, when no stream is given) as `revision` numbers. */
  revisionsOf(streamName?: string): bigint[] {
    return this.recorded(streamName).map((event) => event.revision);
  }

  recorded(streamName?: string) {
    return this.events.flatMap((resolved) => (resolved.event && (streamName === undefined || resolved.event.streamId === streamName) ? [resolved.event] : []));
  }

  /** Resolves once `condition` holds; rejects on the subscription's error or after `ms`. */
  until(condition: (recorder: this) => boolean, what: string, ms = 5_000): Promise<void> {
    if (this.error) return Promise.reject(this.error);
    if (condition(this)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`${what}: not reached after ${ms} ms (${this.summary()})`));
      }, ms);
      const waiter: Waiter = {
        check: () => condition(this),
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Resolves with the subscription's error; rejects if none comes within `ms`. */
  failure(what: string, ms = 5_000): Promise<Error> {
    return this.until((r) => r.error !== undefined, what, ms).then(
      () => this.error as Error,
      (error: unknown) => {
        if (this.error) return this.error;
        throw error;
      },
    );
  }

  /** Stops taking events from the client (its buffer fills, then the transport pushes back). */
  pause(): void {
    this.subscription?.pause();
  }

  resume(): void {
    this.subscription?.resume();
  }

  async stop(): Promise<void> {
    await this.subscription?.unsubscribe();
  }

  private changed(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.check()) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  private summary(): string {
    return `confirmed=${this.confirmed}, events=${this.events.length}, caughtUp=${this.caughtUpAfter.length}, checkpoints=${this.checkpoints.length}`;
  }
}

/**
 * Appends batch after batch, one at a time, from before the subscription has
 * caught up until `batchesAfter` batches after it has: whenever the store
 * switches from catch-up to live, appends keep landing around that moment.
 * Stops after `maxBatches` in any case. Returns how many batches it wrote.
 */
export async function keepWritingAcrossCatchUp(
  recorder: SubscriptionRecorder,
  writeBatch: (index: number) => Promise<unknown>,
  batchesAfter = 10,
  maxBatches = 300,
): Promise<number> {
  let written = 0;
  let afterCaughtUp = 0;
  while (afterCaughtUp < batchesAfter && written < maxBatches) {
    await writeBatch(written);
    written += 1;
    if (recorder.caughtUpAfter.length > 0) afterCaughtUp += 1;
  }
  return written;
}
