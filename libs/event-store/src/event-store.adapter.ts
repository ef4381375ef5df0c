import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  ANY,
  type AppendExpectedRevision,
  type JSONType,
  type Position,
  type ResolvedEvent,
  ErrorType,
  isCommandError,
} from '@eventstore/db-client';
import { isStoryEventType, type RecordedStoryEvent, type StoryEvent, storyIdFromStreamName, storyStreamName } from '@newsroom/domain';
import { toEventStoreError } from './client-error.mapping';
import { countStoryEventsAfter } from './story-lag';
import { StoreUnavailableError } from './event-store.errors';
import { type EventMetadata, stampMetadata, type WriteContext } from './event-metadata';
import { type Upcaster, Upcasters } from './event-upcast';
import { type AllPosition, readStoryHead, StoryEventsSubscription, type StoryEventsSubscriptionOptions } from './story-events.subscription';

/** An event about to be written. Without an id the adapter makes a random one. */
export type NewEvent = StoryEvent & { readonly id?: string };

/** A revision number (the stream's last event), `no_stream` (must not exist yet), or `any`. */
export type ExpectedRevision = number | bigint | 'no_stream' | 'any';

export interface AppendOutcome {
  /** Revision of the last event written. */
  readonly revision: number;
  /** Commit position of the last event written, as a decimal string. */
  readonly position: string;
  readonly eventIds: readonly string[];
}

/** A story event as read back, upcast to its current shape, with the adapter's full stamp. */
export type StoredStoryEvent = RecordedStoryEvent & { readonly metadata: EventMetadata };

export interface EventStoreAdapterOptions {
  /** Stamps `recordedAt`; injected so tests can pin time. */
  readonly clock?: () => Date;
  readonly upcasters?: readonly Upcaster[];
  /** Per-command gRPC deadline in ms (the client's default is 10 s). */
  readonly deadline?: number;
}

/**
 * A real server's "no position" sentinel in records read from a stream; we pass it on
 * unchanged when the server sent no position at all (the embedded store always sends one).
 */
export const NO_POSITION = 18446744073709551615n;

/**
 * The only code that speaks `@eventstore/db-client`. It owns the stream naming,
 * serialisation, metadata stamping, upcasting and the mapping of the client's errors.
 */
export class EventStoreAdapter {
  private readonly clock: () => Date;
  private readonly upcasters: Upcasters;
  private readonly deadline: number | undefined;
  /** Appends and reads under way, which close() lets finish before it disposes the client. */
  private readonly pending = new Set<Promise<unknown>>();
  private closing = false;

  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreAdapterOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.upcasters = new Upcasters(options.upcasters);
    this.deadline = options.deadline;
  }

  /** `esdb://host:2113?tls=false`, `esdb+discover://…`: whatever the client accepts. */
  static connect(connectionString: string, options?: EventStoreAdapterOptions): EventStoreAdapter {
    return new EventStoreAdapter(EventStoreDBClient.connectionString(connectionString), options);
  }

  /**
   * Appends the events to `story-<storyId>` in one write: all or none. A retry with the
   * same event ids at the same expected revision is answered by the server as a success
   * without writing twice.
   */
  appendToStory(storyId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision, context: WriteContext): Promise<AppendOutcome> {
    return this.track(() => this.append(storyId, events, expectedRevision, context));
  }

  /** The story's events in order; empty when the story has no stream. */
  readStory(storyId: string): Promise<StoredStoryEvent[]> {
    return this.track(() => this.read(storyId));
  }

  /**
   * The story's event at `revision`; undefined when there is none. One event, not the
   * stream: what a keyed post reads to learn whether its own append wrote the events it
   * proposed, or acknowledged an identical append that landed first.
   */
  readStoryEvent(storyId: string, revision: number): Promise<StoredStoryEvent | undefined> {
    return this.track(() => this.readOne(storyId, revision));
  }

  private async append(storyId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision, context: WriteContext): Promise<AppendOutcome> {
    if (events.length === 0) throw new RangeError('nothing to append');
    const streamName = storyStreamName(storyId);
    const recordedAt = context.recordedAt ?? this.clock();
    const proposed = events.map((event, index) =>
      jsonEvent({
        ...(event.id === undefined ? {} : { id: event.id }),
        type: event.type,
        data: event.data as unknown as JSONType,
        metadata: encodeMetadata(stampMetadata(context, recordedAt, this.upcasters.currentVersion(event.type), index, events.length)),
      }),
    );
    try {
      const result = await this.client.appendToStream(streamName, proposed, {
        expectedRevision: toClientRevision(expectedRevision),
        ...(this.deadline === undefined ? {} : { deadline: this.deadline }),
      });
      return {
        revision: Number(result.nextExpectedRevision),
        position: positionString(result.position) ?? '',
        eventIds: proposed.map((event) => event.id),
      };
    } catch (error) {
      throw toEventStoreError(error, streamName);
    }
  }

  private async read(storyId: string): Promise<StoredStoryEvent[]> {
    const streamName = storyStreamName(storyId);
    const events: StoredStoryEvent[] = [];
    try {
      const read = this.client.readStream(streamName, {
        ...(this.deadline === undefined ? {} : { deadline: this.deadline }),
      });
      for await (const resolved of read) {
        const stored = this.toStoredStoryEvent(resolved);
        if (stored !== undefined) events.push(stored);
      }
    } catch (error) {
      if (error instanceof Error && isCommandError(error) && error.type === ErrorType.STREAM_NOT_FOUND) {
        return [];
      }
      throw toEventStoreError(error, streamName);
    }
    return events;
  }

  private async readOne(storyId: string, revision: number): Promise<StoredStoryEvent | undefined> {
    const streamName = storyStreamName(storyId);
    try {
      const read = this.client.readStream(streamName, {
        direction: FORWARDS,
        fromRevision: BigInt(revision),
        maxCount: 1,
        ...(this.deadline === undefined ? {} : { deadline: this.deadline }),
      });
      let found: StoredStoryEvent | undefined;
      // Read to the end (one event): leaving the loop early would leave the call open.
      for await (const resolved of read) {
        if (resolved.event?.revision === BigInt(revision)) found = this.toStoredStoryEvent(resolved);
      }
      return found;
    } catch (error) {
      if (error instanceof Error && isCommandError(error) && error.type === ErrorType.STREAM_NOT_FOUND) return undefined;
      throw toEventStoreError(error, streamName);
    }
  }

  /** Resolves when the store answers a read within `deadlineMs`; throws our error otherwise. */
  async ping(deadlineMs = 2000): Promise<void> {
    try {
      const read = this.client.readAll({
        direction: BACKWARDS,
        fromPosition: END,
        maxCount: 1,
        deadline: deadlineMs,
      });
      for await (const _ of read) {
        // Reaching the end of a one-event read is the answer.
      }
    } catch (error) {
      throw toEventStoreError(error, '$all');
    }
  }

  /**
   * A catch-up subscription to every story event in `$all` after `options.after` (or
   * from the start), filtered on the server, then live: what the projections runner and
   * the replay consume. Events come deserialised and upcast here, as from readStory.
   */
  subscribeToStoryEvents(options?: StoryEventsSubscriptionOptions): StoryEventsSubscription {
    return new StoryEventsSubscription(this.client, (resolved) => this.toStoredStoryEvent(resolved), options);
  }

  /** Where the newest story event sits in `$all` (for a subscriber's lag), and where `$all` ends. */
  readStoryHead(deadlineMs = this.deadline): Promise<{ storyHead: AllPosition | undefined; lastPosition: AllPosition | undefined }> {
    return readStoryHead(this.client, deadlineMs);
  }

  /** Story events in `$all` after commit position `after` (a subscriber's lag in events), counted up to `limit`. */
  countStoryEventsAfter(after: bigint, limit: number, deadlineMs = this.deadline): Promise<number> {
    return countStoryEventsAfter(this.client, after, limit, deadlineMs);
  }

  /**
   * Lets appends and reads under way finish (up to `graceMs`), then disposes the client.
   * An append cut off by a dispose might or might not be written: waiting keeps every
   * caller's answer true. New operations are refused as unavailable meanwhile.
   */
  async close(graceMs = 5_000): Promise<void> {
    this.closing = true;
    if (this.pending.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.pending]),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
    }
    await this.client.dispose();
  }

  private track<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(new StoreUnavailableError('the event store connection is closing'));
    const running = operation();
    this.pending.add(running);
    const done = () => this.pending.delete(running);
    running.then(done, done);
    return running;
  }

  /**
   * The one place events are deserialised. Records that are not story events of the
   * catalogue (system events, foreign streams, binary payloads) are skipped.
   */
  private toStoredStoryEvent(resolved: ResolvedEvent): StoredStoryEvent | undefined {
    const recorded = resolved.event;
    if (recorded === undefined || !recorded.isJson || !isStoryEventType(recorded.type)) return undefined;
    const storyId = storyIdFromStreamName(recorded.streamId);
    if (storyId === undefined) return undefined;
    const raw = recorded.metadata;
    const stamp = (raw !== null && typeof raw === 'object' && !(raw instanceof Uint8Array) ? raw : {}) as Partial<EventMetadata>;
    const version = typeof stamp.schemaVersion === 'number' ? stamp.schemaVersion : 1;
    // Events written by other tools may lack our stamp; the server's clock stands in. The
    // client parsed the metadata into an object of our own already: no copy when it is whole.
    const metadata = (typeof stamp.recordedAt === 'string' ? stamp : { ...stamp, recordedAt: recorded.created.toISOString() }) as EventMetadata;
    return {
      type: recorded.type,
      data: this.upcasters.upcast(recorded.type, recorded.data, version),
      eventId: recorded.id,
      storyId,
      revision: recorded.revision,
      position: recorded.position === undefined ? NO_POSITION : recorded.position.commit,
      metadata,
    } as StoredStoryEvent;
  }
}

const utf8 = new TextEncoder();

/**
 * The metadata as the JSON bytes the client would send itself. Handed an object, the
 * client encodes its JSON as base64 and google-protobuf decodes that base64 twice per
 * append (sizing, then sending); a plain Uint8Array goes out as it is. Readers see the
 * same bytes either way.
 */
function encodeMetadata(metadata: EventMetadata): Uint8Array {
  return utf8.encode(JSON.stringify(metadata));
}

function toClientRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'any') return ANY;
  return BigInt(expected);
}

function positionString(position: Position | undefined): string | undefined {
  if (position === undefined || position.commit === NO_POSITION) return undefined;
  return position.commit.toString();
}
