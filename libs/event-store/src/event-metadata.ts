import type { StoryEventMetadata } from '@newsroom/domain';

/**
 * What the adapter stamps on every event it writes: the domain's metadata plus the
 * bookkeeping the adapter itself reads back (schema version, idempotency).
 */
export interface EventMetadata extends StoryEventMetadata {
  /** Version of the event's data shape, read by the upcasters. */
  readonly schemaVersion: number;
  /** Present when the post carried an `Idempotency-Key`. */
  readonly idempotencyKey?: string;
  /** Digest of the request that wrote the event, to tell a retry from a reused key. */
  readonly requestHash?: string;
  /** Position of the event in the events written together, and how many they were. */
  readonly batchIndex: number;
  readonly batchSize: number;
}

/** Who is writing, and why: comes from the request, never from the event data. */
export interface WriteContext {
  readonly correlationId: string;
  readonly causationId: string;
  readonly recordedBy: string;
  /** The posting tool as it named itself; `unknown` when it did not. */
  readonly tool?: string;
  readonly idempotencyKey?: string;
  readonly requestHash?: string;
  /** When the post was recorded; the adapter's clock at the append when absent. */
  readonly recordedAt?: Date;
}

export function stampMetadata(context: WriteContext, recordedAt: Date, schemaVersion: number, batchIndex: number, batchSize: number): EventMetadata {
  return {
    $correlationId: context.correlationId,
    $causationId: context.causationId,
    recordedBy: context.recordedBy,
    recordedAt: recordedAt.toISOString(),
    tool: context.tool ?? 'unknown',
    schemaVersion,
    ...(context.idempotencyKey === undefined ? {} : { idempotencyKey: context.idempotencyKey }),
    ...(context.requestHash === undefined ? {} : { requestHash: context.requestHash }),
    batchIndex,
    batchSize,
  };
}
