/**
 * Small conversions between the protobuf messages of EventStoreDB's gRPC
 * protocol and the storage engine's plain values (esdb-wire.md section 3).
 */
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import type { CurrentRevision, ExpectedRevision } from '../storage/storage.types';

const utf8 = new TextDecoder('utf-8');

export function streamNameOf(identifier: StreamIdentifier | undefined): string | undefined {
  if (!identifier) return undefined;
  return utf8.decode(identifier.getStreamName_asU8());
}

/** Bytes fields must be set from bytes: a JS string would be base64-decoded by google-protobuf. */
export function streamIdentifier(name: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Buffer.from(name, 'utf8'));
}

const DASHED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLAIN = /^[0-9a-f]{32}$/i;

/**
 * The forms .NET's Guid.Parse accepts (D, N, B, P), normalised to lower-case
 * dashed; undefined when the text is no UUID.
 */
export function parseUuidText(text: string): string | undefined {
  let s = text.trim();
  if ((s.startsWith('{') && s.endsWith('}')) || (s.startsWith('(') && s.endsWith(')'))) s = s.slice(1, -1);
  if (DASHED.test(s)) return s.toLowerCase();
  if (PLAIN.test(s)) {
    const h = s.toLowerCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  return undefined;
}

function hex64(value: string): string {
  return BigInt.asUintN(64, BigInt(value)).toString(16).padStart(16, '0');
}

/** Canonical text of a protobuf UUID (string or structured form), undefined when absent or invalid. */
export function uuidOf(message: UUID | undefined): string | undefined {
  if (!message) return undefined;
  if (message.hasStructured()) {
    const s = message.getStructured();
    if (!s) return undefined;
    try {
      const h = hex64(s.getMostSignificantBits()) + hex64(s.getLeastSignificantBits());
      return parseUuidText(h);
    } catch {
      return undefined;
    }
  }
  return parseUuidText(message.getString());
}

export function uuidMessage(id: string): UUID {
  return new UUID().setString(id);
}

interface ExpectedOneOf {
  hasRevision?(): boolean;
  getRevision?(): string;
  hasStreamPosition?(): boolean;
  getStreamPosition?(): string;
  hasNoStream(): boolean;
  hasAny(): boolean;
  hasStreamExists(): boolean;
}

/**
 * The expected-revision oneof of Append/BatchAppend/Delete/Tombstone options.
 * A missing oneof is undefined (the caller answers it as a bad request).
 */
export function expectedOf(options: ExpectedOneOf): ExpectedRevision | undefined {
  if (options.hasRevision?.()) return { kind: 'exact', revision: BigInt(options.getRevision!()) };
  if (options.hasStreamPosition?.()) return { kind: 'exact', revision: BigInt(options.getStreamPosition!()) };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasAny()) return { kind: 'any' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return undefined;
}

/** The real node's internal codes for expected versions, as sent in the `expected-version` trailer. */
export function expectedVersionCode(expected: ExpectedRevision): string {
  switch (expected.kind) {
    case 'any':
      return '-2';
    case 'no_stream':
      return '-1';
    case 'stream_exists':
      return '-4';
    case 'exact':
      return expected.revision.toString();
  }
}

export function currentVersionText(current: CurrentRevision): string {
  return current === 'no_stream' ? '' : current.toString();
}

/** grpc-js accepts only printable ASCII in metadata values; other characters are percent-encoded. */
export function asciiTrailer(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : value.replace(/[^\x20-\x7e]/gu, (c) => encodeURIComponent(c));
}

export const EMPTY = new Empty();
