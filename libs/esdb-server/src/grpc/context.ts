import type { Metadata } from '@grpc/grpc-js';
import type { StorageEngine } from '../storage/storage.types';
import type { Authenticator } from './auth';
import { accessDenied, unauthenticated, type GrpcError } from './errors';

/** What every Streams handler needs. */
export interface StreamsContext {
  readonly engine: StorageEngine;
  readonly auth: Authenticator;
  /** Bytes of event data plus metadata one append may carry (the real node's default is 1 MiB). */
  readonly maxAppendSize: number;
}

/**
 * The error a secure node gives before the operation runs: bad credentials
 * fail authentication; no credentials mean the anonymous user, whom the
 * default ACLs of current nodes deny stream access.
 */
export function refusal(ctx: StreamsContext, metadata: Metadata): GrpcError | undefined {
  const caller = ctx.auth.identify(metadata);
  if (caller === 'rejected') return unauthenticated();
  if (caller === 'anonymous') return accessDenied();
  return undefined;
}
