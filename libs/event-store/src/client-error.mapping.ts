import { ErrorType, isCommandError, type CommandError, type WrongExpectedVersionError } from '@eventstore/db-client';
import {
  AppendTooLargeError,
  ConcurrencyError,
  type EventStoreError,
  StoreFailureError,
  StoreFullError,
  StoreUnavailableError,
  StreamDeletedError,
} from './event-store.errors';

/** gRPC's RESOURCE_EXHAUSTED: "perhaps the entire file system is out of space". */
const RESOURCE_EXHAUSTED = 8;
/**
 * How a full disk reads once the client has converted it: a unary call keeps the gRPC code; a
 * BatchAppend answer with a detail the client does not know keeps only the message
 * ("Could not recognize …"), so the message is read too.
 */
const DISK_FULL_TEXT = /no space left on device|disk is full|out of disk space|RESOURCE_EXHAUSTED/i;

function isStoreFull(error: CommandError): boolean {
  if (error.type !== ErrorType.UNKNOWN) return false;
  return (error as { code?: unknown }).code === RESOURCE_EXHAUSTED || DISK_FULL_TEXT.test(error.message);
}

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
  if (isStoreFull(error)) return new StoreFullError(error.message, { cause: error });
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
