/**
 * Read in subscription mode (esdb-wire.md section 9): confirmation, catch-up
 * from the store, `caught_up`, then live events straight from the engine's
 * commit listener.
 *
 * No gap, no duplicate across the switch: catch-up reads page by page until
 * the store has nothing newer; in that same synchronous step the subscription
 * registers its commit listener (and re-reads once, for an engine that would
 * signal commits late). Every event is then accepted only if it lies after the
 * cursor (the last revision or position taken), so an event seen both ways is
 * sent once.
 *
 * A live subscriber whose client reads too slowly gets a bounded queue; past
 * it, the subscription drops the queue and goes back to catch-up from the last
 * event actually written, instead of growing without end.
 */
import { randomUUID } from 'node:crypto';
import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { StorageEngine, StoredEvent } from '../storage/storage.types';
import { CallWriter, EVENTS_PER_TURN, toBytes, type ReadCall } from './call-writer';
import { internal, streamDeleted, type GrpcError } from './errors';
import type { EventFilter } from './filter';

const MAX_LIVE_QUEUE = 10_000;
const NO_LIMIT = 2n ** 63n - 1n;

export type SubscriptionTarget =
  | { readonly kind: 'stream'; readonly stream: string; readonly from: 'start' | 'end' | bigint }
  | { readonly kind: 'all'; readonly from: 'start' | 'end' | bigint; readonly filter?: EventFilter };

/** The cursor: last revision (stream) or position ($all) taken; undefined before the first event. */
type Cursor = bigint | undefined;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class Subscription {
  private readonly writer: CallWriter<Cursor>;
  private cursor: Cursor;
  private live = false;
  private caughtUpSent = false;
  private considered = 0;
  private unlisten: (() => void) | undefined;
  private restartAfterDrain = false;

  constructor(
    private readonly call: ReadCall,
    private readonly engine: StorageEngine,
    private readonly target: SubscriptionTarget,
    private readonly encode: (event: StoredEvent) => Buffer,
  ) {
    this.writer = new CallWriter<Cursor>(call, undefined, () => this.stop());
  }

  start(): void {
    if (this.target.kind === 'stream' && this.engine.isTombstoned(this.target.stream)) {
      this.fail(streamDeleted(this.target.stream));
      return;
    }
    this.cursor = this.initialCursor();
    this.writer.written = this.cursor;
    const confirmation = new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID());
    this.writer.send(toBytes(new ReadResp().setConfirmation(confirmation)), this.cursor);
    void this.catchUp();
  }

  private initialCursor(): Cursor {
    const t = this.target;
    if (t.from === 'start') return undefined;
    if (typeof t.from === 'bigint') return t.from;
    if (t.kind === 'all') return this.engine.headPosition();
    const last = this.engine.readStream(t.stream, 'end', 'backwards', 1n);
    if (last.outcome === 'ok') for (const e of last.events) return e.revision;
    return -1n;
  }

  /** Events after the cursor, from the store; 'deleted' for a tombstoned stream. */
  private readFromStore(): Iterable<StoredEvent> | 'deleted' {
    const next = this.cursor === undefined ? 'start' : this.cursor + 1n;
    if (this.target.kind === 'all') return this.engine.readAll(next, 'forwards', NO_LIMIT);
    const result = this.engine.readStream(this.target.stream, next, 'forwards', NO_LIMIT);
    if (result.outcome === 'deleted') return 'deleted';
    return result.outcome === 'ok' ? result.events : [];
  }

  private async catchUp(): Promise<void> {
    try {
      const source = this.readFromStore();
      if (source === 'deleted') return this.failDeleted();
      let n = 0;
      for (const event of source) {
        if (this.writer.closed) return;
        this.consider(event);
        if (this.writer.isBlocked) await this.writer.drained();
        else if (++n % EVENTS_PER_TURN === 0) await yieldToLoop();
        if (this.writer.closed) return;
      }
      // Synchronously from the last (empty) page on: nothing can commit unseen in between.
      this.unlisten = this.engine.onCommit((events) => this.onCommit(events));
      const rest = this.readFromStore();
      if (rest === 'deleted') return this.failDeleted();
      for (const event of rest) this.consider(event);
      this.live = true;
      if (!this.caughtUpSent) {
        this.caughtUpSent = true;
        this.writer.send(toBytes(new ReadResp().setCaughtUp(new ReadResp.CaughtUp())), this.cursor);
      }
    } catch (error) {
      this.fail(internal(`Subscription failed: ${String(error)}`));
    }
  }

  private onCommit(events: readonly StoredEvent[]): void {
    if (!this.live || this.writer.closed) return;
    try {
      for (const event of events) this.consider(event);
      if (this.writer.pending > MAX_LIVE_QUEUE) this.fallBack();
      else this.writer.push();
    } catch (error) {
      this.fail(internal(`Subscription failed: ${String(error)}`));
    }
  }

  /** Back to catch-up once the client has drained what grpc-js already holds. */
  private fallBack(): void {
    this.live = false;
    this.unlisten?.();
    this.unlisten = undefined;
    this.writer.discardQueue();
    this.cursor = this.writer.written;
    this.considered = 0;
    if (!this.restartAfterDrain) {
      this.restartAfterDrain = true;
      void this.writer.drained().then(() => {
        this.restartAfterDrain = false;
        if (!this.writer.closed) void this.catchUp();
      });
    }
  }

  private consider(event: StoredEvent): void {
    const t = this.target;
    let key: bigint;
    if (t.kind === 'stream') {
      if (event.streamId !== t.stream) return;
      key = event.revision;
      if (this.cursor !== undefined && key <= this.cursor) return;
      if (event.type === '$streamDeleted') return this.failDeleted();
    } else {
      key = event.position;
      if (this.cursor !== undefined && key <= this.cursor) return;
    }
    this.cursor = key;
    const filter = t.kind === 'all' ? t.filter : undefined;
    if (!filter) {
      this.writer.send(this.encode(event), key);
      return;
    }
    if (filter.matches(event)) this.writer.send(this.encode(event), key);
    if (++this.considered >= filter.checkpointInterval) {
      this.considered = 0;
      const p = event.position.toString();
      const checkpoint = new ReadResp.Checkpoint().setCommitPosition(p).setPreparePosition(p);
      this.writer.send(toBytes(new ReadResp().setCheckpoint(checkpoint)), key);
    }
  }

  private failDeleted(): void {
    if (this.target.kind === 'stream') this.fail(streamDeleted(this.target.stream));
  }

  private fail(error: GrpcError): void {
    this.stop();
    this.writer.fail(error);
  }

  private stop(): void {
    this.live = false;
    this.unlisten?.();
    this.unlisten = undefined;
  }
}
