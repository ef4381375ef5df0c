/**
 * BatchAppend's messages by hand: every single-event append through the client is one
 * `BatchAppendReq` in and one `BatchAppendResp` out, and google-protobuf's objects, getters and
 * maps for them cost about a quarter of the server's CPU per append (measured with 50
 * concurrent appenders). The layouts follow `generated/streams_pb.js`, `shared_pb.js` and the
 * well-known types field for field; the unit spec checks both directions against the generated
 * classes. Unknown fields are skipped, as protobuf requires.
 */
import type { ExpectedRevision } from '../storage/storage.types';
import { parseUuidText } from './wire';

/** A UUID message as received: its canonical text (undefined when invalid), the text form, and its bytes to echo. */
export interface WireUuid {
  readonly canonical: string | undefined;
  /** The `string` form as sent ('' for the structured form). */
  readonly text: string;
  readonly bytes: Uint8Array;
}

export interface WireProposedMessage {
  readonly id: WireUuid | undefined;
  readonly type: string | undefined;
  readonly contentType: string | undefined;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export interface WireBatchAppendOptions {
  /** The stream name bytes; undefined when the request has no stream identifier. */
  readonly streamName: Uint8Array | undefined;
  readonly expected: ExpectedRevision | undefined;
  /** Milliseconds since the epoch, when the request carries a deadline. */
  readonly deadline: number | undefined;
}

export interface WireBatchAppendReq {
  readonly correlationId: WireUuid | undefined;
  readonly options: WireBatchAppendOptions | undefined;
  readonly proposedMessages: readonly WireProposedMessage[];
  readonly isFinal: boolean;
}

const EMPTY_BYTES = new Uint8Array(0);
const utf8 = new TextDecoder('utf-8');

class Reader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** A varint as a number (exact below 2^53; tags, lengths, booleans, int32s). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i += 1) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const byte = this.buf[this.pos++];
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new Error('malformed varint');
  }

  /** A varint as an unsigned 64-bit bigint (uint64, or an int64 as its two's complement). */
  bigVarint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i += 1) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const byte = this.buf[this.pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new Error('malformed varint');
  }

  bytes(): Uint8Array {
    const length = this.varint();
    const start = this.pos;
    this.pos += length;
    if (this.pos > this.end) throw new Error('truncated length-delimited field');
    return this.buf.subarray(start, this.pos);
  }

  /** A length-delimited field read in place: a reader over its bytes. */
  sub(): Reader {
    const length = this.varint();
    const start = this.pos;
    this.pos += length;
    if (this.pos > this.end) throw new Error('truncated message');
    return new Reader(this.buf, start, this.pos);
  }

  string(): string {
    return utf8.decode(this.bytes());
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2: {
        // Not `this.pos += this.varint()`: that adds to the position read before the length.
        const length = this.varint();
        this.pos += length;
        break;
      }
      case 5:
        this.pos += 4;
        break;
      default:
        throw new Error(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) throw new Error('truncated field');
  }
}

function hex64(value: bigint): string {
  return value.toString(16).padStart(16, '0');
}

/** `UUID { oneof { Structured structured = 1 { int64 msb = 1; int64 lsb = 2 } ; string string = 2 } }`. */
function readUuid(r: Reader): WireUuid {
  const start = r.pos;
  let text = '';
  let structured: { msb: bigint; lsb: bigint } | undefined;
  while (!r.done) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    if (field === 2 && wireType === 2) {
      text = r.string();
      structured = undefined;
    } else if (field === 1 && wireType === 2) {
      const s = r.sub();
      structured = { msb: 0n, lsb: 0n };
      while (!s.done) {
        const t = s.varint();
        if (t === 8) structured.msb = s.bigVarint();
        else if (t === 16) structured.lsb = s.bigVarint();
        else s.skip(t & 7);
      }
      text = '';
    } else r.skip(wireType);
  }
  const canonical = structured ? parseUuidText(hex64(structured.msb) + hex64(structured.lsb)) : parseUuidText(text);
  return { canonical, text, bytes: r.buf.subarray(start, r.end) };
}

/** `google.protobuf.Timestamp { int64 seconds = 1; int32 nanos = 2 }` in milliseconds. */
function readTimestamp(r: Reader): number {
  let seconds = 0n;
  let nanos = 0;
  while (!r.done) {
    const tag = r.varint();
    if (tag === 8) seconds = BigInt.asIntN(64, r.bigVarint());
    else if (tag === 16) nanos = Number(BigInt.asIntN(32, r.bigVarint()));
    else r.skip(tag & 7);
  }
  return Number(seconds) * 1000 + Math.floor(nanos / 1e6);
}

function readOptions(r: Reader): WireBatchAppendOptions {
  let streamName: Uint8Array | undefined;
  let expected: ExpectedRevision | undefined;
  let deadline: number | undefined;
  while (!r.done) {
    const tag = r.varint();
    switch (tag) {
      case (1 << 3) | 2: {
        // StreamIdentifier { bytes stream_name = 3 }
        const s = r.sub();
        streamName = EMPTY_BYTES;
        while (!s.done) {
          const t = s.varint();
          if (t === ((3 << 3) | 2)) streamName = s.bytes();
          else s.skip(t & 7);
        }
        break;
      }
      case 2 << 3:
        expected = { kind: 'exact', revision: r.bigVarint() };
        break;
      case (3 << 3) | 2:
        r.skip(2);
        expected = { kind: 'no_stream' };
        break;
      case (4 << 3) | 2:
        r.skip(2);
        expected = { kind: 'any' };
        break;
      case (5 << 3) | 2:
        r.skip(2);
        expected = { kind: 'stream_exists' };
        break;
      case (6 << 3) | 2:
        deadline = readTimestamp(r.sub());
        break;
      default:
        r.skip(tag & 7);
    }
  }
  return { streamName, expected, deadline };
}

function readProposedMessage(r: Reader): WireProposedMessage {
  let id: WireUuid | undefined;
  let type: string | undefined;
  let contentType: string | undefined;
  let data: Uint8Array = EMPTY_BYTES;
  let customMetadata: Uint8Array = EMPTY_BYTES;
  while (!r.done) {
    const tag = r.varint();
    switch (tag) {
      case (1 << 3) | 2:
        id = readUuid(r.sub());
        break;
      case (2 << 3) | 2: {
        // map<string, string> metadata: an entry { string key = 1; string value = 2 }; the last entry for a key wins.
        const entry = r.sub();
        let key = '';
        let value = '';
        while (!entry.done) {
          const t = entry.varint();
          if (t === ((1 << 3) | 2)) key = entry.string();
          else if (t === ((2 << 3) | 2)) value = entry.string();
          else entry.skip(t & 7);
        }
        if (key === 'type') type = value;
        else if (key === 'content-type') contentType = value;
        break;
      }
      case (3 << 3) | 2:
        customMetadata = r.bytes();
        break;
      case (4 << 3) | 2:
        data = r.bytes();
        break;
      default:
        r.skip(tag & 7);
    }
  }
  return { id, type, contentType, data, customMetadata };
}

/** Decodes a `BatchAppendReq`; throws on bytes that are no such message (grpc-js then fails the call). */
export function decodeBatchAppendReq(bytes: Uint8Array): WireBatchAppendReq {
  const r = new Reader(bytes);
  let correlationId: WireUuid | undefined;
  let options: WireBatchAppendOptions | undefined;
  const proposedMessages: WireProposedMessage[] = [];
  let isFinal = false;
  while (!r.done) {
    const tag = r.varint();
    switch (tag) {
      case (1 << 3) | 2:
        correlationId = readUuid(r.sub());
        break;
      case (2 << 3) | 2:
        options = readOptions(r.sub());
        break;
      case (3 << 3) | 2:
        proposedMessages.push(readProposedMessage(r.sub()));
        break;
      case 4 << 3:
        isFinal = r.varint() !== 0;
        break;
      default:
        r.skip(tag & 7);
    }
  }
  return { correlationId, options, proposedMessages, isFinal };
}

// ------------------------------------------------------------------ responses

function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size += 1;
  }
  return size;
}

function bigVarintSize(n: bigint): number {
  let size = 1;
  while (n >= 128n) {
    n >>= 7n;
    size += 1;
  }
  return size;
}

class Writer {
  private pos = 0;

  constructor(readonly buf: Buffer) {}

  varint(n: number): this {
    while (n >= 128) {
      this.buf[this.pos++] = (n % 128) | 128;
      n = Math.floor(n / 128);
    }
    this.buf[this.pos++] = n;
    return this;
  }

  bigVarint(n: bigint): this {
    while (n >= 128n) {
      this.buf[this.pos++] = Number(n & 127n) | 128;
      n >>= 7n;
    }
    this.buf[this.pos++] = Number(n);
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  /** A length-delimited field holding `bytes`. */
  field(tag: number, bytes: Uint8Array): this {
    return this.varint(tag).varint(bytes.length).raw(bytes);
  }

  get length(): number {
    return this.pos;
  }
}

const lengthDelimited = (length: number) => varintSize(length) + length;

export type BatchAppendOutcome =
  | {
      readonly kind: 'success';
      /** Last revision, or undefined for `no_stream` (an empty append to a missing stream). */
      readonly currentRevision: bigint | undefined;
      /** Commit = prepare position of the write, or undefined for `no_position`. */
      readonly position: bigint | undefined;
    }
  /** A serialized `google.rpc.Status` (errors are rare: they keep the generated classes). */
  | { readonly kind: 'error'; readonly status: Uint8Array };

/**
 * `BatchAppendResp { UUID correlation_id = 1; oneof { google.rpc.Status error = 2; Success success = 3 };
 * StreamIdentifier stream_identifier = 4 }`, with `Success { oneof { uint64 current_revision = 1;
 * Empty no_stream = 2 }; oneof { AllStreamPosition position = 3; Empty no_position = 4 } }` and
 * `AllStreamPosition { uint64 commit_position = 1; uint64 prepare_position = 2 }`.
 * The correlation id goes back exactly as it came (its bytes); the stream identifier is always set.
 */
export function encodeBatchAppendResp(correlationId: Uint8Array, streamName: Uint8Array, outcome: BatchAppendOutcome): Buffer {
  let bodyTag: number;
  let bodySize: number;
  let positionSize = 0;
  if (outcome.kind === 'success') {
    bodyTag = (3 << 3) | 2;
    const revisionSize = outcome.currentRevision === undefined ? 2 : 1 + bigVarintSize(outcome.currentRevision);
    if (outcome.position !== undefined) positionSize = 2 * (1 + bigVarintSize(outcome.position));
    bodySize = revisionSize + (outcome.position === undefined ? 2 : 1 + lengthDelimited(positionSize));
  } else {
    bodyTag = (2 << 3) | 2;
    bodySize = outcome.status.length;
  }
  const identifierSize = 1 + lengthDelimited(streamName.length);
  const size = 1 + lengthDelimited(correlationId.length) + 1 + lengthDelimited(bodySize) + 1 + lengthDelimited(identifierSize);
  const w = new Writer(Buffer.allocUnsafe(size));
  w.field((1 << 3) | 2, correlationId);
  w.varint(bodyTag).varint(bodySize);
  if (outcome.kind === 'error') w.raw(outcome.status);
  else {
    if (outcome.currentRevision === undefined) w.varint((2 << 3) | 2).varint(0);
    else w.varint(1 << 3).bigVarint(outcome.currentRevision);
    if (outcome.position === undefined) w.varint((4 << 3) | 2).varint(0);
    else
      w.varint((3 << 3) | 2)
        .varint(positionSize)
        .varint(1 << 3)
        .bigVarint(outcome.position)
        .varint(2 << 3)
        .bigVarint(outcome.position);
  }
  w.varint((4 << 3) | 2).varint(identifierSize);
  w.field((3 << 3) | 2, streamName);
  if (w.length !== size) throw new Error(`BatchAppendResp encoded to ${w.length} bytes, expected ${size}`);
  return w.buf;
}
