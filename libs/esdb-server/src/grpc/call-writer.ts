/**
 * Writes pre-encoded messages to a server-streaming call with backpressure:
 * when `call.write()` says the buffer is full, later messages wait in this
 * writer's own queue until 'drain'.
 */
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';

export type ReadCall = ServerWritableStream<ReadReq, ReadResp>;

/** Read responses travel as bytes (see read-resp.encoder.ts); the serializer passes them through. */
export function toBytes(message: ReadResp): Buffer {
  return Buffer.from(message.serializeBinary());
}

/** Messages grpc-js may hold for a read before `write()` says wait (Node's object-mode default is 16). */
const HIGH_WATER_MARK = 512;

/**
 * One event is one message: with Node's default of 16 buffered messages the
 * server stalls for a round of write callbacks every 16 events, and neither
 * side stays busy. grpc-js exposes no option for it, so it is set on the
 * stream's state.
 */
function deepenBuffer(call: ReadCall): void {
  const state = (call as unknown as { _writableState?: { highWaterMark: number } })._writableState;
  if (state && typeof state.highWaterMark === 'number') state.highWaterMark = HIGH_WATER_MARK;
}

export class CallWriter<K> {
  private readonly queue: Buffer[] = [];
  private readonly keys: K[] = [];
  private head = 0;
  private blocked = false;
  private waiters: (() => void)[] = [];
  closed = false;
  /** Key of the last message handed to grpc-js (queued ones excluded). */
  written: K;

  constructor(
    private readonly call: ReadCall,
    initial: K,
    private readonly onClose: () => void,
  ) {
    this.written = initial;
    deepenBuffer(call);
    const close = () => this.close();
    call.on('cancelled', close);
    call.on('close', close);
    call.on('error', close);
    call.on('finish', close);
  }

  get pending(): number {
    return this.queue.length - this.head;
  }

  /** True while messages wait for 'drain'. */
  get isBlocked(): boolean {
    return this.blocked;
  }

  send(bytes: Buffer, key: K): void {
    if (this.closed) return;
    if (this.blocked) {
      this.queue.push(bytes);
      this.keys.push(key);
      return;
    }
    this.written = key;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    if (!this.call.write(bytes as any)) {
      this.blocked = true;
      this.call.once('drain', () => this.flush());
    }
  }

  /** Drops what waits in the queue (the caller re-reads it from the store). */
  discardQueue(): void {
    this.queue.length = 0;
    this.keys.length = 0;
    this.head = 0;
  }

  /** Resolves once nothing waits for 'drain' (or the call is gone). */
  drained(): Promise<void> {
    if (!this.blocked || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private flush(): void {
    this.blocked = false;
    while (!this.closed && this.head < this.queue.length) {
      const bytes = this.queue[this.head];
      this.written = this.keys[this.head];
      this.head++;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      if (!this.call.write(bytes as any)) {
        this.blocked = true;
        this.call.once('drain', () => this.flush());
        break;
      }
    }
    if (this.head === this.queue.length) this.discardQueue();
    if (!this.blocked) this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Hands everything queued to grpc-js regardless of its buffer (before a final status). */
  flushAll(): void {
    while (this.head < this.queue.length) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      this.call.write(this.queue[this.head++] as any);
    }
    this.discardQueue();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.discardQueue();
    this.wake();
    this.onClose();
  }
}
