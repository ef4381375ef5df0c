import { ErrorType, isCommandError, type WrongExpectedVersionError } from '@eventstore/db-client';
import {
  AppendTooLargeError,
  ConcurrencyError,
  type EventStoreError,
  StoreFailureError,
  StoreUnavailableError,
  StreamDeletedError,
} from './event-store.errors';

/**
 * The one mapping from the client's errors to ours. A command that never reached a
 * leader in time is "unavailable" to the caller whatever gRPC called it, so a retry
 * later is the right advice (503).
 */
export function toEventStoreError(error: unknown, streamName: string): EventStoreError {
  if (!(error instanceof Error) || !isCommandError(error)) {
    // Discovery gives up with a plain Error; gRPC channel failures may surface unconverted.
    const message = error instanceof Error ? error.message : String(error);
    if (/discover|unavailable|ECONNREFUSED|No connection established/i.test(message)) {
      return new StoreUnavailableError(message, { cause: error });
    }
    return new StoreFailureError(message, { cause: error });
  }
  switch (error.type) {
    case ErrorType.WRONG_EXPECTED_VERSION: {
      const wev = error as WrongExpectedVersionError;
      return new ConcurrencyError(streamName, String(wev.expectedVersion), String(wev.actualVersion), {
        cause: error,
      });
    }
    case ErrorType.STREAM_DELETED:
      return new StreamDeletedError(streamName, { cause: error });
    case ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED:
      return new AppendTooLargeError(error.message, { cause: error });
    case ErrorType.UNAVAILABLE:
    case ErrorType.DEADLINE_EXCEEDED:
    case ErrorType.TIMEOUT:
    case ErrorType.NOT_LEADER:
      return new StoreUnavailableError(error.message, { cause: error });
    default:
      return new StoreFailureError(`${error.type}: ${error.message}`, { cause: error });
  }
}
