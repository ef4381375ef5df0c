import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { v5 as uuidv5 } from 'uuid';
import type { StoryEvent } from '@newsroom/domain';

/** Namespace of the ledger's deterministic event ids (a fixed random UUID: never change it). */
export const EVENT_ID_NAMESPACE = '0d7e5a1c-8f4b-4c2e-9a63-5b1f2d8e7c40';

/** `Idempotency-Key` values we take: visible ASCII, as the IETF draft's examples, up to 255. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function isValidIdempotencyKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/**
 * Digest of the events a post asked for, to tell an honest retry from a key reused for
 * another post. It is taken over the validated events in canonical JSON (RFC 8785: keys
 * sorted, one spelling per value), always as a list: the same events with their keys in
 * another order, or one event sent alone or as a one-element array, are the same request.
 * Headers are left out: a retry may drop or change If-Match and still ask for the same events.
 */
export function requestHash(events: readonly StoryEvent[]): string {
  return createHash('sha256')
    .update(canonicalize(events.map(({ type, data }) => ({ type, data })))!)
    .digest('base64url');
}

/**
 * The digest stored by posts recorded before requests were compared in canonical form: of
 * the body's JSON as it was parsed. Still accepted, so that retrying such a post with the
 * very same JSON is recognised rather than refused.
 */
export function bodyJsonHash(body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(body) ?? '')
    .digest('base64url');
}

/**
 * The id of the `index`-th event of a post. The same story, key and events always give
 * the same ids, so a retried post proposes the very events already written and the store
 * never writes it twice. The hash is part of it so that two different posts under one key
 * never propose the same ids: the store would take the second for a retry of the first and
 * acknowledge it without writing it.
 */
export function deterministicEventId(storyId: string, key: string, hash: string, index: number): string {
  return uuidv5(`${storyId}\n${key}\n${hash}\n${index}`, EVENT_ID_NAMESPACE);
}
