import { parentPort, workerData } from 'node:worker_threads';
import { EventStoreAdapter, type StoryEventsSubscription, SubscriptionDroppedError } from '@newsroom/event-store';
import { FEED_BATCH, FEED_UNACKED, type FeedReply, type FeedRequest } from './story-feed.protocol';

/**
 * The story feed's thread (see story-feed.thread.ts): its own client, subscriptions to
 * the story events, and each one's messages forwarded in batches, with at most
 * FEED_UNACKED batches not yet taken by the api's thread.
 */
function run(): void {
  const port = parentPort;
  if (port === null) throw new Error('story-feed.worker runs as a worker thread');
  const store = EventStoreAdapter.connect((workerData as { connectionString: string }).connectionString);
  const open = new Map<number, { subscription: StoryEventsSubscription; unacked: number; resume?: () => void }>();
  const reply = (message: FeedReply) => port.postMessage(message);

  async function pump(id: number, request: Extract<FeedRequest, { kind: 'subscribe' }>): Promise<void> {
    const subscription = store.subscribeToStoryEvents({
      ...(request.after === undefined ? {} : { after: request.after }),
      ...(request.checkpointInterval === undefined ? {} : { checkpointInterval: request.checkpointInterval }),
    });
    const entry: { subscription: StoryEventsSubscription; unacked: number; resume?: () => void } = { subscription, unacked: 0 };
    open.set(id, entry);
    try {
      for (;;) {
        const messages = await subscription.nextBatch(FEED_BATCH);
        if (messages === undefined) break;
        reply({ kind: 'messages', id, messages });
        entry.unacked += 1;
        if (entry.unacked >= FEED_UNACKED) await new Promise<void>((resolve) => (entry.resume = resolve));
      }
      if (open.has(id)) reply({ kind: 'ended', id });
    } catch (error) {
      const reason = error instanceof SubscriptionDroppedError ? error.reason : 'ENDED_BY_SERVER';
      if (open.has(id)) reply({ kind: 'dropped', id, reason, message: error instanceof Error ? error.message : String(error) });
    } finally {
      open.delete(id);
      await subscription.close();
    }
  }

  port.on('message', (request: FeedRequest) => {
    switch (request.kind) {
      case 'subscribe':
        void pump(request.id, request);
        return;
      case 'taken': {
        const entry = open.get(request.id);
        if (entry === undefined) return;
        entry.unacked -= 1;
        entry.resume?.();
        entry.resume = undefined;
        return;
      }
      case 'close': {
        const entry = open.get(request.id);
        open.delete(request.id);
        entry?.resume?.();
        void entry?.subscription.close();
        return;
      }
      case 'stop':
        void Promise.all([...open.values()].map((entry) => entry.subscription.close()))
          .then(() => store.close())
          .finally(() => port.close());
        return;
    }
  });
}

run();
