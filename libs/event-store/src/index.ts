export {
  EventStoreAdapter,
  NO_POSITION,
  type AppendOutcome,
  type EventStoreAdapterOptions,
  type ExpectedRevision,
  type NewEvent,
  type StoredStoryEvent,
} from './event-store.adapter';
export { type EventMetadata, type WriteContext } from './event-metadata';
export { type Upcaster } from './event-upcast';
export {
  AppendTooLargeError,
  ConcurrencyError,
  EventStoreError,
  type EventStoreErrorCode,
  StoreFailureError,
  StoreFullError,
  StoreUnavailableError,
  StreamDeletedError,
} from './event-store.errors';
export {
  type AllPosition,
  type StoryEventsSubscriptionOptions,
  type StoryFeedMessage,
  StoryEventsSubscription,
  SubscriptionDroppedError,
} from './story-events.subscription';
