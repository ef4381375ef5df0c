/**
 * `ProposedMessage` (Append and BatchAppend share its shape) to the engine's
 * ProposedEvent, with the checks a real node makes on the way in.
 */
import type { AppendReq, BatchAppendReq } from '@eventstore/db-client/generated/streams_pb';
import { appendSize, type ProposedEvent } from '../storage';
import { uuidOf } from './wire';

/**
 * Why a real node refuses a proposed event: a missing `type` or `content-type`, an id that is no
 * UUID, or what its `Event` constructor throws on (`Empty eventId provided.`, `Empty eventType provided.`).
 */
export type ProposedProblem = 'missing-metadata' | 'invalid-id' | 'empty-id' | 'empty-type';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export function toProposedEvent(message: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage): ProposedEvent | ProposedProblem {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  if (type === undefined || contentType === undefined) return 'missing-metadata';
  const id = uuidOf(message.getId());
  if (id === undefined) return 'invalid-id';
  if (id === NIL_UUID) return 'empty-id';
  if (type === '') return 'empty-type';
  return {
    id,
    type,
    isJson: contentType === 'application/json',
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

/** An event's share of the maximum append size, counted as the engine (and a real node) counts it. */
export function payloadSize(event: ProposedEvent): number {
  return appendSize([event]);
}
