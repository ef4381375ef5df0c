/**
 * `ProposedMessage` (Append and BatchAppend share its shape) to the engine's
 * ProposedEvent, with the checks a real node makes on the way in.
 */
import type { AppendReq } from '@eventstore/db-client/generated/streams_pb';
import { appendSize, type ProposedEvent } from '../storage';
import { uuidOf } from './wire';

/**
 * Why a real node refuses a proposed event: a missing `type` or `content-type`, an id that is no
 * UUID, or what its `Event` constructor throws on (`Empty eventId provided.`, `Empty eventType provided.`).
 */
export type ProposedProblem = 'missing-metadata' | 'invalid-id' | 'empty-id' | 'empty-type';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** A proposed message's parts, however they were decoded. */
export interface ProposedFields {
  /** Canonical UUID text; undefined when absent or no UUID. */
  readonly id: string | undefined;
  readonly type: string | undefined;
  readonly contentType: string | undefined;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export function proposedEventOf(fields: ProposedFields): ProposedEvent | ProposedProblem {
  const { id, type, contentType } = fields;
  if (type === undefined || contentType === undefined) return 'missing-metadata';
  if (id === undefined) return 'invalid-id';
  if (id === NIL_UUID) return 'empty-id';
  if (type === '') return 'empty-type';
  return { id, type, isJson: contentType === 'application/json', data: fields.data, metadata: fields.customMetadata };
}

export function toProposedEvent(message: AppendReq.ProposedMessage): ProposedEvent | ProposedProblem {
  const metadata = message.getMetadataMap();
  return proposedEventOf({
    id: uuidOf(message.getId()),
    type: metadata.get('type'),
    contentType: metadata.get('content-type'),
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  });
}

/** An event's share of the maximum append size, counted as the engine (and a real node) counts it. */
export function payloadSize(event: ProposedEvent): number {
  return appendSize([event]);
}
