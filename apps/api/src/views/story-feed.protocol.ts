import type { AllPosition, StoryFeedMessage, SubscriptionDroppedError } from '@newsroom/event-store';

/** What the api's thread asks of the story feed's thread. Ids name subscriptions. */
export type FeedRequest =
  | { readonly kind: 'subscribe'; readonly id: number; readonly after?: AllPosition; readonly checkpointInterval?: number }
  /** One batch of messages has been taken: the feed may send another. */
  | { readonly kind: 'taken'; readonly id: number }
  | { readonly kind: 'close'; readonly id: number }
  /** Close every subscription and the client; the thread then ends. */
  | { readonly kind: 'stop' };

/** What the feed's thread answers, per subscription. */
export type FeedReply =
  | { readonly kind: 'messages'; readonly id: number; readonly messages: readonly StoryFeedMessage[] }
  | { readonly kind: 'dropped'; readonly id: number; readonly reason: SubscriptionDroppedError['reason']; readonly message: string }
  | { readonly kind: 'ended'; readonly id: number };

/** Messages forwarded in one batch at most: a catch-up's queue goes across in few messages. */
export const FEED_BATCH = 512;

/** Batches sent and not yet taken before the feed stops reading: the api's thread sets the pace. */
export const FEED_UNACKED = 4;
