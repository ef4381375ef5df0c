import { type AllPosition, type StoryFeedMessage, SubscriptionDroppedError } from '@newsroom/event-store';
import { restartingWorker } from '../threads/worker-script';
import type { StoryEventSource } from './projection.runner';
import type { FeedReply, FeedRequest } from './story-feed.protocol';

/** The story events of `$all`, read on a thread of their own; close() ends the thread. */
export interface StoryFeedThread extends StoryEventSource {
  close(): Promise<void>;
}

/** How long close() lets the thread close its subscriptions and client before ending it. */
const STOP_GRACE_MS = 5_000;

/**
 * The views' source of story events, with the client's side of the subscription on a
 * worker thread: reading each event off the socket, decoding it (grpc-js, google-protobuf,
 * the client's JSON parsing) and our deserialising cost more than folding it, and on the
 * api's thread they competed with every request. Here the api's thread only receives
 * ready messages in batches and folds them. The same guarantees as the adapter's own
 * subscription: messages in `$all` order, a drop surfaced as a SubscriptionDroppedError
 * (after the messages before it), nothing after close(). A thread that dies drops its
 * subscriptions; the next subscribe starts another.
 */
export function startStoryFeedThread(connectionString: string): StoryFeedThread {
  let stopped = false;
  let nextId = 1;
  const subscriptions = new Map<number, FeedSubscription>();

  const dropAll = (message: string) => {
    for (const subscription of subscriptions.values()) subscription.receive({ kind: 'dropped', id: 0, reason: 'STORE_UNAVAILABLE', message });
    subscriptions.clear();
  };
  const worker = restartingWorker<FeedRequest, FeedReply>(__dirname, 'story-feed.worker', {
    workerData: { connectionString },
    label: 'the story feed thread',
    reply: (reply) => subscriptions.get(reply.id)?.receive(reply),
    lost: dropAll,
  });
  const send = (request: FeedRequest) => worker.postIfRunning(request);

  return {
    subscribeToStoryEvents(options: { after?: AllPosition; checkpointInterval?: number }) {
      const id = nextId++;
      const subscription = new FeedSubscription(send, id, () => subscriptions.delete(id));
      if (stopped) {
        subscription.receive({ kind: 'dropped', id, reason: 'STORE_UNAVAILABLE', message: 'the story feed is stopped' });
        return subscription;
      }
      subscriptions.set(id, subscription);
      worker.post({
        kind: 'subscribe',
        id,
        ...(options.after === undefined ? {} : { after: { commit: options.after.commit, prepare: options.after.prepare } }),
        ...(options.checkpointInterval === undefined ? {} : { checkpointInterval: options.checkpointInterval }),
      });
      return subscription;
    },
    async close() {
      stopped = true;
      await worker.stop({ kind: 'stop' }, STOP_GRACE_MS);
    },
  };
}

/** One subscription's end on the api's thread: the batches the feed sent, taken in pieces. */
class FeedSubscription {
  private readonly batches: (readonly StoryFeedMessage[])[] = [];
  /** Messages of the first batch already handed out. */
  private offset = 0;
  private failure: SubscriptionDroppedError | undefined;
  private ended = false;
  private closed = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly send: (request: FeedRequest) => void,
    private readonly id: number,
    private readonly forget: () => void,
  ) {}

  receive(reply: FeedReply): void {
    if (reply.kind === 'messages') this.batches.push(reply.messages);
    else if (reply.kind === 'dropped') this.failure ??= new SubscriptionDroppedError(reply.message, reply.reason);
    else this.ended = true;
    if (reply.kind !== 'messages') this.forget();
    this.wake?.();
  }

  async nextBatch(max: number): Promise<readonly StoryFeedMessage[] | undefined> {
    for (;;) {
      if (this.closed) return undefined;
      const first = this.batches[0];
      if (first !== undefined) {
        const taken = this.offset === 0 && first.length <= max ? first : first.slice(this.offset, this.offset + max);
        this.offset += taken.length;
        if (this.offset >= first.length) {
          this.batches.shift();
          this.offset = 0;
          this.send({ kind: 'taken', id: this.id });
        }
        return taken;
      }
      if (this.failure !== undefined) throw this.failure;
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.forget();
    this.send({ kind: 'close', id: this.id });
    this.wake?.();
  }
}
