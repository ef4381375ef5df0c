import type { StoryEvent } from './story.events';

/**
 * Stamped on every event by the event-store adapter, never posted by tools.
 * `$correlationId` and `$causationId` use EventStoreDB's reserved names so its
 * own tooling (e.g. the `$by_correlation_id` projection) understands them.
 */
export interface StoryEventMetadata {
  /** The request (or workflow) this event belongs to. */
  readonly $correlationId: string;
  /** What caused this event: the request id, or the previous event's id. */
  readonly $causationId: string;
  /** The authenticated principal that posted it. */
  readonly recordedBy: string;
  /** When the ledger recorded it (ISO 8601, UTC): "what did we know at T". */
  readonly recordedAt: string;
  /** The newsroom tool that posted it (e.g. its User-Agent or a declared name). */
  readonly tool: string;
}

/**
 * A story event as read back from the store, with where it sits in the log.
 * Shared by the store adapter (which produces it) and the projections (which fold it).
 * The intersection keeps `type` narrowing `data` as in StoryEvent.
 */
export type RecordedStoryEvent = StoryEvent & {
  readonly eventId: string;
  readonly storyId: string;
  /** The event's revision in its story stream (0 for the first). */
  readonly revision: bigint;
  /** Its commit position in `$all`. */
  readonly position: bigint;
  readonly metadata: StoryEventMetadata;
};
