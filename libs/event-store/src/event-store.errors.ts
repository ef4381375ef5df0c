/**
 * The store's failures in our own terms. The api maps these codes to HTTP; nothing
 * outside this lib sees the client's error classes.
 */
export type EventStoreErrorCode =
  'CONCURRENCY_CONFLICT' | 'STORE_UNAVAILABLE' | 'STORE_FULL' | 'STREAM_DELETED' | 'APPEND_TOO_LARGE' | 'STORE_FAILURE' | 'SUBSCRIPTION_DROPPED';

export abstract class EventStoreError extends Error {
  abstract readonly code: EventStoreErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The stream was not at the revision the writer expected: someone else wrote first. */
export class ConcurrencyError extends EventStoreError {
  readonly code = 'CONCURRENCY_CONFLICT' as const;

  constructor(
    readonly streamName: string,
    readonly expected: string,
    /** Current revision as a decimal string, or `no_stream`. */
    readonly actual: string,
    options?: { cause?: unknown },
  ) {
    super(`stream ${streamName} is at ${actual}, expected ${expected}`, options);
  }
}

/** The store could not be reached in time (down, restarting, deadline passed, no leader). */
export class StoreUnavailableError extends EventStoreError {
  readonly code = 'STORE_UNAVAILABLE' as const;
}

/**
 * The store is out of disk space: nothing of the append was acknowledged, and writes succeed
 * again once space is freed. The message is the store's, for the log.
 */
export class StoreFullError extends EventStoreError {
  readonly code = 'STORE_FULL' as const;
}

/** The stream was deleted or tombstoned; its story can take no more events. */
export class StreamDeletedError extends EventStoreError {
  readonly code = 'STREAM_DELETED' as const;

  constructor(
    readonly streamName: string,
    options?: { cause?: unknown },
  ) {
    super(`stream ${streamName} is deleted`, options);
  }
}

/** The append exceeded the server's maximum append size (1 MiB by default on a real node). */
export class AppendTooLargeError extends EventStoreError {
  readonly code = 'APPEND_TOO_LARGE' as const;
}

/** Anything else the store answered: a fault of ours or of the server, never of the caller. */
export class StoreFailureError extends EventStoreError {
  readonly code = 'STORE_FAILURE' as const;
}
