import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';

/** Namespace of the ledger's deterministic event ids (a fixed random UUID: never change it). */
export const EVENT_ID_NAMESPACE = '0d7e5a1c-8f4b-4c2e-9a63-5b1f2d8e7c40';

/** `Idempotency-Key` values we take: visible ASCII, as the IETF draft's examples, up to 255. */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function isValidIdempotencyKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/**
 * The id of the `index`-th event of a post: the same story, key and place always give
 * the same id, so a retried post proposes the very events already written.
 */
export function deterministicEventId(storyId: string, key: string, index: number): string {
  return uuidv5(`${storyId}\n${key}\n${index}`, EVENT_ID_NAMESPACE);
}

/**
 * Digest of the events a post asked for, to tell an honest retry from a key reused for
 * another post. Headers are left out: a retry may drop or change If-Match and still be
 * the same request for the same events.
 */
export function requestHash(body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(body) ?? '')
    .digest('base64url');
}
