/**
 * gRPC errors as a real node sends them: status code, details text and the
 * trailers `convertToCommandError` in the client reads (esdb-wire.md 4.1).
 * Every key the client dereferences is present; every value is ASCII.
 */
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import type { CurrentRevision, ExpectedRevision } from '../storage/storage.types';
import { asciiTrailer, currentVersionText, expectedVersionCode } from './wire';

export type GrpcError = Partial<ServiceError> & { code: status; details: string; metadata: Metadata };

function error(code: status, details: string, trailers: Record<string, string> = {}): GrpcError {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, asciiTrailer(value));
  return { code, details: asciiTrailer(details), metadata, message: asciiTrailer(details), name: 'Error' };
}

export function wrongExpectedVersion(stream: string, expected: ExpectedRevision, current: CurrentRevision): GrpcError {
  const expectedCode = expectedVersionCode(expected);
  const actual = currentVersionText(current);
  return error(
    status.FAILED_PRECONDITION,
    `Append failed due to WrongExpectedVersion. Stream: ${stream}, Expected version: ${expectedCode}, Actual version: ${actual === '' ? '-1' : actual}`,
    { exception: 'wrong-expected-version', 'stream-name': stream, 'expected-version': expectedCode, 'actual-version': actual },
  );
}

export function streamDeleted(stream: string): GrpcError {
  return error(status.FAILED_PRECONDITION, `Event stream '${stream}' is deleted.`, {
    exception: 'stream-deleted',
    'stream-name': stream,
  });
}

export function accessDenied(): GrpcError {
  return error(status.PERMISSION_DENIED, 'Access Denied', { exception: 'access-denied' });
}

/** What a real node answers a request whose credentials do not authenticate (its AuthenticationMiddleware). */
export function unauthenticated(): GrpcError {
  return error(status.UNAUTHENTICATED, 'Unauthenticated');
}

export function maxAppendSizeExceeded(maxAppendSize: number): GrpcError {
  return error(status.INVALID_ARGUMENT, `Maximum Append Size of ${maxAppendSize} Exceeded.`, {
    exception: 'maximum-append-size-exceeded',
    'maximum-append-size': String(maxAppendSize),
  });
}

export function missingRequiredMetadata(): GrpcError {
  return error(status.INVALID_ARGUMENT, 'Required Metadata Properties Missing: type, content-type', {
    exception: 'missing-required-metadata-property',
    'required-metadata-properties': 'type,content-type',
  });
}

export function invalidArgument(details: string): GrpcError {
  return error(status.INVALID_ARGUMENT, details);
}

/** ASP.NET's answer when a handler throws (e.g. Guid.Parse on a malformed event id). */
export function handlerException(): GrpcError {
  return error(status.UNKNOWN, 'Exception was thrown by handler.');
}

/**
 * A full disk. RESOURCE_EXHAUSTED is gRPC's code for "the entire file system is out of space";
 * the text names no file (the node's files are its own; its log names them).
 */
export const STORE_FULL_DETAILS = 'Out of disk space: the node cannot write its log (no space left on device).';

export function storeFull(): GrpcError {
  return error(status.RESOURCE_EXHAUSTED, STORE_FULL_DETAILS);
}

export function internal(details: string): GrpcError {
  return error(status.INTERNAL, details);
}
