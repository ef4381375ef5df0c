import {
  type AppendOutcome,
  AppendTooLargeError,
  ConcurrencyError,
  EventStoreError,
  type ExpectedRevision,
  type NewEvent,
  StoreFailureError,
  StoreFullError,
  StoreUnavailableError,
  StreamDeletedError,
  type WriteContext,
} from '@newsroom/event-store';

/** What the api's thread asks of the append thread. Ids pair each answer with its append. */
export type AppendRequest =
  | {
      readonly kind: 'append';
      readonly id: number;
      readonly storyId: string;
      readonly events: readonly NewEvent[];
      readonly expected: ExpectedRevision;
      readonly context: WriteContext;
    }
  /** Finish the appends under way, close the client; the thread then ends. */
  | { readonly kind: 'stop' };

export type AppendReply = { readonly id: number; readonly outcome: AppendOutcome } | { readonly id: number; readonly failure: AppendFailure };

/**
 * An append's error as it crosses threads. A structured clone keeps an Error's message
 * but neither its class nor its fields, and the api maps errors to statuses by class.
 */
export type AppendFailure =
  | { readonly code: 'CONCURRENCY_CONFLICT'; readonly message: string; readonly streamName: string; readonly expected: string; readonly actual: string }
  | { readonly code: 'STREAM_DELETED'; readonly message: string; readonly streamName: string }
  | { readonly code: 'STORE_UNAVAILABLE' | 'STORE_FULL' | 'APPEND_TOO_LARGE' | 'STORE_FAILURE'; readonly message: string }
  /** Not an event-store error: a fault in our code, rethrown as a plain Error. */
  | { readonly code: 'UNEXPECTED'; readonly name: string; readonly message: string };

export function toFailure(error: unknown): AppendFailure {
  if (error instanceof ConcurrencyError) {
    return { code: error.code, message: error.message, streamName: error.streamName, expected: error.expected, actual: error.actual };
  }
  if (error instanceof StreamDeletedError) return { code: error.code, message: error.message, streamName: error.streamName };
  if (error instanceof StoreUnavailableError || error instanceof StoreFullError || error instanceof AppendTooLargeError) {
    return { code: error.code, message: error.message };
  }
  // A subscription's drop cannot come of an append: any other store error is a store failure.
  if (error instanceof EventStoreError) return { code: 'STORE_FAILURE', message: error.message };
  if (error instanceof Error) return { code: 'UNEXPECTED', name: error.name, message: error.message };
  return { code: 'UNEXPECTED', name: 'Error', message: String(error) };
}

/** The error the adapter threw on the other thread, rebuilt with its class and fields. */
export function fromFailure(failure: AppendFailure): Error {
  switch (failure.code) {
    case 'CONCURRENCY_CONFLICT':
      return new ConcurrencyError(failure.streamName, failure.expected, failure.actual);
    case 'STREAM_DELETED':
      return new StreamDeletedError(failure.streamName);
    case 'STORE_UNAVAILABLE':
      return new StoreUnavailableError(failure.message);
    case 'STORE_FULL':
      return new StoreFullError(failure.message);
    case 'APPEND_TOO_LARGE':
      return new AppendTooLargeError(failure.message);
    case 'STORE_FAILURE':
      return new StoreFailureError(failure.message);
    case 'UNEXPECTED': {
      const error = new Error(failure.message);
      error.name = failure.name;
      return error;
    }
  }
}
