import {
  BACKWARDS,
  END,
  EventStoreDBClient,
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
import { toEventStoreError } from './client-error.mapping';
import { type EventMetadata, stampMetadata, type WriteContext } from './event-metadata';
import { type Upcaster, Upcasters } from './event-upcast';

export const STORY_STREAM_PREFIX = 'story-';

export function storyStreamName(storyId: string): string {
  return `${STORY_STREAM_PREFIX}${storyId}`;
}

/** An event about to be written. Without an id the adapter makes a random one. */
export interface NewEvent {
  readonly id?: string;
  readonly type: string;
  readonly data: object;
}

/** A revision number (the stream's last event), `no_stream` (must not exist yet), or `any`. */
export type ExpectedRevision = number | bigint | 'no_stream' | 'any';

export interface AppendOutcome {
  /** Revision of the last event written. */
  readonly revision: number;
  /** Commit position of the last event written, as a decimal string. */
  readonly position: string;
  readonly eventIds: readonly string[];
}

/** An event as read back, upcast to its current shape. */
export interface StoredEvent<Data = unknown> {
  readonly id: string;
  readonly streamId: string;
  readonly type: string;
  readonly data: Data;
  /** Our stamp when this adapter wrote the event; whatever was there otherwise. */
  readonly metadata: Partial<EventMetadata> & Record<string, unknown>;
  readonly revision: number;
  /** Commit position as a decimal string; absent when the server did not send one. */
  readonly position?: string;
  /** Our `recordedAt` stamp, else the server's `created` time. */
  readonly recordedAt: string;
}

export interface EventStoreAdapterOptions {
  /** Stamps `recordedAt`; injected so tests can pin time. */
  readonly clock?: () => Date;
  readonly upcasters?: readonly Upcaster[];
  /** Per-command gRPC deadline in ms (the client's default is 10 s). */
  readonly deadline?: number;
}

/** A real server's "no position" sentinel in records read from a stream. */
const NO_POSITION = 18446744073709551615n;

/**
 * The only code that speaks `@eventstore/db-client`. It owns the stream naming,
 * serialisation, metadata stamping, upcasting and the mapping of the client's errors.
 */
export class EventStoreAdapter {
  private readonly clock: () => Date;
  private readonly upcasters: Upcasters;
  private readonly deadline: number | undefined;

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
  async appendToStory(
    storyId: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
    context: WriteContext,
  ): Promise<AppendOutcome> {
    if (events.length === 0) throw new RangeError('nothing to append');
    const streamName = storyStreamName(storyId);
    const recordedAt = this.clock();
    const proposed = events.map((event, index) =>
      jsonEvent({
        ...(event.id === undefined ? {} : { id: event.id }),
        type: event.type,
        data: event.data as JSONType,
        metadata: stampMetadata(
          context,
          recordedAt,
          this.upcasters.currentVersion(event.type),
          index,
          events.length,
        ) as unknown as JSONType,
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

  /** The story's events in order; empty when the story has no stream. */
  async readStory<Data = unknown>(storyId: string): Promise<StoredEvent<Data>[]> {
    const streamName = storyStreamName(storyId);
    const events: StoredEvent<Data>[] = [];
    try {
      const read = this.client.readStream(streamName, {
        ...(this.deadline === undefined ? {} : { deadline: this.deadline }),
      });
      for await (const resolved of read) {
        const stored = this.toStoredEvent<Data>(resolved);
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

  async close(): Promise<void> {
    await this.client.dispose();
  }

  private toStoredEvent<Data>(resolved: ResolvedEvent): StoredEvent<Data> | undefined {
    const recorded = resolved.event;
    if (recorded === undefined) return undefined;
    const metadata =
      recorded.metadata !== null && typeof recorded.metadata === 'object' && !(recorded.metadata instanceof Uint8Array)
        ? (recorded.metadata as Partial<EventMetadata> & Record<string, unknown>)
        : {};
    const version = typeof metadata.schemaVersion === 'number' ? metadata.schemaVersion : 1;
    const position = positionString(recorded.position);
    return {
      id: recorded.id,
      streamId: recorded.streamId,
      type: recorded.type,
      data: (recorded.isJson ? this.upcasters.upcast(recorded.type, recorded.data, version) : recorded.data) as Data,
      metadata,
      revision: Number(recorded.revision),
      ...(position === undefined ? {} : { position }),
      recordedAt: typeof metadata.recordedAt === 'string' ? metadata.recordedAt : recorded.created.toISOString(),
    };
  }
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
