/**
 * Encodes `ReadResp { event: ReadEvent { event: RecordedEvent, commit_position } }`
 * straight into bytes. Reads and subscriptions send one such message per
 * event; building google-protobuf objects for each would dominate the cost of
 * a large read. The layout follows `generated/streams_pb.js` field for field
 * (and the int spec checks it by decoding with the generated classes).
 */
import type { StoredEvent } from '../storage/storage.types';

const TWO_POW_53 = 2n ** 53n;

function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function bigVarintSize(n: bigint): number {
  if (n < TWO_POW_53) return varintSize(Number(n));
  let size = 1;
  while (n >= 128n) {
    n >>= 7n;
    size++;
  }
  return size;
}

function writeVarint(buf: Buffer, offset: number, n: number): number {
  while (n >= 128) {
    buf[offset++] = (n % 128) | 128;
    n = Math.floor(n / 128);
  }
  buf[offset++] = n;
  return offset;
}

function writeBigVarint(buf: Buffer, offset: number, n: bigint): number {
  if (n < TWO_POW_53) return writeVarint(buf, offset, Number(n));
  while (n >= 128n) {
    buf[offset++] = Number(n & 127n) | 128;
    n >>= 7n;
  }
  buf[offset++] = Number(n);
  return offset;
}

const TYPE_KEY = Buffer.from('type');
const CONTENT_TYPE_KEY = Buffer.from('content-type');
const CREATED_KEY = Buffer.from('created');
const JSON_TYPE = Buffer.from('application/json');
const BINARY_TYPE = Buffer.from('application/octet-stream');

/** Size of a map entry message `{1: key, 2: value}` (without its own tag and length). */
function entrySize(keyLen: number, valueLen: number): number {
  return 1 + varintSize(keyLen) + keyLen + 1 + varintSize(valueLen) + valueLen;
}

function mapFieldSize(keyLen: number, valueLen: number): number {
  const s = entrySize(keyLen, valueLen);
  return 1 + varintSize(s) + s;
}

function writeEntry(buf: Buffer, o: number, key: Buffer, value: Buffer | string, valueLen: number): number {
  const size = entrySize(key.length, valueLen);
  buf[o++] = 0x32; // field 6, length-delimited
  o = writeVarint(buf, o, size);
  buf[o++] = 0x0a;
  o = writeVarint(buf, o, key.length);
  key.copy(buf, o);
  o += key.length;
  buf[o++] = 0x12;
  o = writeVarint(buf, o, valueLen);
  if (typeof value === 'string') o += buf.write(value, o, 'latin1');
  else {
    value.copy(buf, o);
    o += valueLen;
  }
  return o;
}

/**
 * Caches the UTF-8 bytes of recently seen stream names and event types: a
 * read or a live feed repeats them constantly.
 */
class Utf8Cache {
  private readonly map = new Map<string, Buffer>();
  get(text: string): Buffer {
    let bytes = this.map.get(text);
    if (!bytes) {
      if (this.map.size >= 4096) this.map.clear();
      bytes = Buffer.from(text, 'utf8');
      this.map.set(text, bytes);
    }
    return bytes;
  }
}

const names = new Utf8Cache();

function recordedEventSize(e: StoredEvent, stream: Buffer, type: Buffer, created: string): number {
  let size = 0;
  // id: UUID { string = 2 }
  const idLen = e.id.length;
  const uuidMsg = 1 + varintSize(idLen) + idLen;
  size += 1 + varintSize(uuidMsg) + uuidMsg;
  // stream_identifier: { bytes stream_name = 3 }
  const sidMsg = stream.length > 0 ? 1 + varintSize(stream.length) + stream.length : 0;
  size += 1 + varintSize(sidMsg) + sidMsg;
  if (e.revision !== 0n) size += 1 + bigVarintSize(e.revision);
  if (e.position !== 0n) size += 2 * (1 + bigVarintSize(e.position));
  const ct = e.isJson ? JSON_TYPE : BINARY_TYPE;
  size += mapFieldSize(TYPE_KEY.length, type.length);
  size += mapFieldSize(CONTENT_TYPE_KEY.length, ct.length);
  size += mapFieldSize(CREATED_KEY.length, created.length);
  if (e.metadata.length > 0) size += 1 + varintSize(e.metadata.length) + e.metadata.length;
  if (e.data.length > 0) size += 1 + varintSize(e.data.length) + e.data.length;
  return size;
}

function writeRecordedEvent(buf: Buffer, o: number, e: StoredEvent, stream: Buffer, type: Buffer, created: string): number {
  const idLen = e.id.length;
  const uuidMsg = 1 + varintSize(idLen) + idLen;
  buf[o++] = 0x0a;
  o = writeVarint(buf, o, uuidMsg);
  buf[o++] = 0x12;
  o = writeVarint(buf, o, idLen);
  o += buf.write(e.id, o, 'latin1');

  const sidMsg = stream.length > 0 ? 1 + varintSize(stream.length) + stream.length : 0;
  buf[o++] = 0x12;
  o = writeVarint(buf, o, sidMsg);
  if (stream.length > 0) {
    buf[o++] = 0x1a;
    o = writeVarint(buf, o, stream.length);
    stream.copy(buf, o);
    o += stream.length;
  }
  if (e.revision !== 0n) {
    buf[o++] = 0x18;
    o = writeBigVarint(buf, o, e.revision);
  }
  if (e.position !== 0n) {
    buf[o++] = 0x20; // prepare_position
    o = writeBigVarint(buf, o, e.position);
    buf[o++] = 0x28; // commit_position
    o = writeBigVarint(buf, o, e.position);
  }
  o = writeEntry(buf, o, TYPE_KEY, type, type.length);
  const ct = e.isJson ? JSON_TYPE : BINARY_TYPE;
  o = writeEntry(buf, o, CONTENT_TYPE_KEY, ct, ct.length);
  o = writeEntry(buf, o, CREATED_KEY, created, created.length);
  if (e.metadata.length > 0) {
    buf[o++] = 0x3a;
    o = writeVarint(buf, o, e.metadata.length);
    buf.set(e.metadata, o);
    o += e.metadata.length;
  }
  if (e.data.length > 0) {
    buf[o++] = 0x42;
    o = writeVarint(buf, o, e.data.length);
    buf.set(e.data, o);
    o += e.data.length;
  }
  return o;
}

interface Record {
  readonly event: StoredEvent;
  readonly stream: Buffer;
  readonly type: Buffer;
  readonly created: string;
  readonly size: number;
}

function prepare(event: StoredEvent): Record {
  const stream = names.get(event.streamId);
  const type = names.get(event.type);
  const created = event.created.toString();
  return { event, stream, type, created, size: recordedEventSize(event, stream, type, created) };
}

function writeRecordField(buf: Buffer, o: number, tag: number, r: Record): number {
  buf[o++] = tag;
  o = writeVarint(buf, o, r.size);
  return writeRecordedEvent(buf, o, r.event, r.stream, r.type, r.created);
}

/**
 * Bytes of a `ReadResp` carrying one resolved event: `event` (the event, or a
 * link's target), `link` (the link record when one was resolved), and the
 * commit position of the record read from the log.
 */
export function encodeResolvedResp(event: StoredEvent | undefined, link: StoredEvent | undefined, commitPosition: bigint): Buffer {
  const e = event ? prepare(event) : undefined;
  const l = link ? prepare(link) : undefined;
  let readEventSize = 1 + bigVarintSize(commitPosition);
  if (e) readEventSize += 1 + varintSize(e.size) + e.size;
  if (l) readEventSize += 1 + varintSize(l.size) + l.size;
  const total = 1 + varintSize(readEventSize) + readEventSize;
  const buf = Buffer.allocUnsafe(total);
  let o = 0;
  buf[o++] = 0x0a; // ReadResp.event
  o = writeVarint(buf, o, readEventSize);
  if (e) o = writeRecordField(buf, o, 0x0a, e); // ReadEvent.event
  if (l) o = writeRecordField(buf, o, 0x12, l); // ReadEvent.link
  buf[o++] = 0x18; // ReadEvent.commit_position (always set: the client reads it only when present)
  o = writeBigVarint(buf, o, commitPosition);
  if (o !== total) throw new Error(`ReadResp encoding size mismatch: ${o} != ${total}`);
  return buf;
}

/** Bytes of a `ReadResp` carrying one event as stored (no link). */
export function encodeEventResp(event: StoredEvent): Buffer {
  return encodeResolvedResp(event, undefined, event.position);
}
