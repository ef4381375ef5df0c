/**
 * What the adapter stamps on every event it writes. `$correlationId` and `$causationId`
 * use EventStoreDB's own names so its system projections (`$by_correlation_id`) see them.
 */
export interface EventMetadata {
  readonly $correlationId: string;
  readonly $causationId: string;
  /** The authenticated principal that posted the event. */
  readonly recordedBy: string;
  /** When we learnt the fact (ISO 8601, UTC); the data says when it happened in the world. */
  readonly recordedAt: string;
  /** The posting tool, as it named itself (`X-Newsroom-Tool` or `User-Agent`). */
  readonly tool?: string;
  /** Version of the event's data shape, read by the upcasters. */
  readonly schemaVersion: number;
  /** Present when the post carried an `Idempotency-Key`. */
  readonly idempotencyKey?: string;
  /** Digest of the request that wrote the event, to tell a retry from a reused key. */
  readonly requestHash?: string;
  /** Position of the event in its request's array, and the array's length. */
  readonly batchIndex?: number;
  readonly batchSize?: number;
}

/** Who is writing, and why: comes from the request, never from the event data. */
export interface WriteContext {
  readonly correlationId: string;
  readonly causationId: string;
  readonly recordedBy: string;
  readonly tool?: string;
  readonly idempotencyKey?: string;
  readonly requestHash?: string;
}

export function stampMetadata(
  context: WriteContext,
  recordedAt: Date,
  schemaVersion: number,
  batchIndex: number,
  batchSize: number,
): EventMetadata {
  return {
    $correlationId: context.correlationId,
    $causationId: context.causationId,
    recordedBy: context.recordedBy,
    recordedAt: recordedAt.toISOString(),
    ...(context.tool === undefined ? {} : { tool: context.tool }),
    schemaVersion,
    ...(context.idempotencyKey === undefined ? {} : { idempotencyKey: context.idempotencyKey }),
    ...(context.requestHash === undefined ? {} : { requestHash: context.requestHash }),
    batchIndex,
    batchSize,
  };
}
