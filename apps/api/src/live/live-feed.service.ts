import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { getStorySummary } from '@newsroom/projections';
import type { StoryChange } from '../views/projection.runner';
import { VIEWS_OPTIONS, type ViewsOptions } from '../views/views.options';
import { ViewsService } from '../views/views.service';
import { CoalescingWriter, type FrameSink } from './coalescing-writer';

/** One story change as the live feed sends it (the frame's data adds `story`, the summary after it). */
export interface FeedItem {
  /** The SSE id: `<position>.<revision>` (events of one append may share a commit position). */
  readonly id: string;
  readonly storyId: string;
  readonly revision: number;
  readonly position: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
}

/** A connected client: where frames go, and which story it follows (all when undefined). */
export interface FeedClient extends FrameSink {
  readonly storyId: string | undefined;
  /** Ends the stream (and tells the feed through `disconnect`). */
  end(): void;
}

interface Mark {
  readonly position: bigint;
  readonly revision: bigint;
}

/** A change the feed remembers for resumes: the very bytes it sent live. */
interface Remembered {
  readonly mark: Mark;
  readonly storyId: string;
  readonly frame: Buffer;
}

export const DEFAULT_LIVE_FLUSH_MS = 5;
export const DEFAULT_LIVE_WRITES_PER_SECOND = 20_000;
export const DEFAULT_LIVE_FLUSH_BYTES = 64 * 1024;
export const DEFAULT_LIVE_MAX_QUEUED_BYTES = 1024 * 1024;
const DEFAULT_HEARTBEAT_MS = 15_000;

/**
 * Fans the runner's story changes out to Server-Sent Events clients, and keeps the
 * last changes so a client that reconnects with Last-Event-ID misses nothing (or is
 * told to reload when it was away for longer than the feed remembers).
 *
 * Each change is serialised once, when the views apply it; the coalescing writer joins
 * the changes of a few milliseconds (more with many streams) and writes the same bytes
 * to every stream that wants them. A client that does not read keeps its unread bytes in
 * the api's memory: past `liveMaxQueuedBytes` it is sent `event: reset` and closed, and
 * resumes with its Last-Event-ID like any reconnecting client.
 */
@Injectable()
export class LiveFeedService implements OnModuleInit, OnModuleDestroy {
  private readonly clients = new Set<FeedClient>();
  private readonly writer: CoalescingWriter<FeedClient>;
  private readonly capacity: number;
  /** A ring of the last changes, oldest at `start`. */
  private readonly ring: Remembered[] = [];
  private start = 0;
  /** The newest change the ring has let go of. */
  private evicted: Mark | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Streams reset and closed because their client read too slowly. */
  overflows = 0;

  constructor(
    private readonly views: ViewsService,
    @Inject(VIEWS_OPTIONS) options: ViewsOptions,
  ) {
    this.capacity = options.feedReplayCapacity ?? 10_000;
    this.writer = new CoalescingWriter<FeedClient>({
      flushMs: options.liveFlushMs ?? DEFAULT_LIVE_FLUSH_MS,
      writesPerSecond: options.liveWritesPerSecond ?? DEFAULT_LIVE_WRITES_PER_SECOND,
      flushBytes: options.liveFlushBytes ?? DEFAULT_LIVE_FLUSH_BYTES,
      maxQueuedBytes: options.liveMaxQueuedBytes ?? DEFAULT_LIVE_MAX_QUEUED_BYTES,
      heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      onOverflow: (client) => this.overflow(client),
    });
  }

  onModuleInit(): void {
    this.unsubscribe = this.views.onChange((change) => this.publish(change));
  }

  /** Ends every open stream so the server can close (an SSE response never ends on its own). */
  onModuleDestroy(): void {
    this.unsubscribe?.();
    this.writer.close();
    for (const client of [...this.clients]) client.end();
    this.clients.clear();
  }

  get connected(): number {
    return this.clients.size;
  }

  /**
   * Registers a client; first sends `ready` and what it missed after `lastEventId`, in one
   * write and one synchronous step, so no change falls between the replay and the live feed.
   */
  connect(client: FeedClient, lastEventId: string | undefined): void {
    // Changes still pending were applied before this client's `ready`: out they go to the others first.
    this.writer.flush();
    const position = this.views.status().position;
    const frames = [frame('ready', undefined, { position })];
    if (lastEventId !== undefined) {
      const after = parseFeedId(lastEventId);
      // An id this feed cannot place (unreadable, or past what the views hold: another store's) says
      // nothing of what the client has seen: like one too old to resume, the client must reload.
      const missed = after === undefined || after.position > BigInt(position) ? undefined : this.since(after, client.storyId);
      if (missed !== undefined) frames.push(...missed);
      else frames.push(frame('reset', undefined, { reason: resetReason(after), position }));
    }
    // The replay is written whole, whatever the queue limit (the ring bounds it). A client
    // still holding more than the limit at the next flush is reset like any other and
    // resumes from the last id it read, so each round gets further.
    client.write(Buffer.concat(frames));
    this.clients.add(client);
    this.writer.add(client, client.storyId);
  }

  /** Forgets a client (its stream closed); safe to call more than once. */
  disconnect(client: FeedClient): void {
    if (!this.clients.delete(client)) return;
    this.writer.remove(client, client.storyId);
  }

  private overflow(client: FeedClient): void {
    this.overflows += 1;
    this.disconnect(client);
    const position = this.views.status().position;
    client.write(frame('reset', undefined, { reason: 'the client read too slowly; reconnect with Last-Event-ID, or reload the state', position }));
    client.end();
  }

  private publish({ event, views }: StoryChange): void {
    const item: FeedItem = {
      id: `${event.position}.${event.revision}`,
      storyId: event.storyId,
      revision: Number(event.revision),
      position: event.position.toString(),
      type: event.type,
      recordedAt: event.metadata.recordedAt,
      recordedBy: event.metadata.recordedBy,
    };
    // The summary is the story's state right after this event: what a dashboard shows.
    // Serialised once here, for every client and for every resume.
    const bytes = frame('story', item.id, { ...item, story: getStorySummary(views, event.storyId) ?? null });
    const entry: Remembered = { mark: { position: event.position, revision: event.revision }, storyId: event.storyId, frame: bytes };
    if (this.ring.length < this.capacity) this.ring.push(entry);
    else {
      this.evicted = this.ring[this.start]!.mark;
      this.ring[this.start] = entry;
      this.start = (this.start + 1) % this.capacity;
    }
    this.writer.publish(event.storyId, bytes);
  }

  /** The frames after `after` (of one story when given), oldest first; undefined when some of them were let go of. */
  private since(after: Mark, storyId: string | undefined): Buffer[] | undefined {
    if (this.evicted !== undefined && isAfter(this.evicted, after)) return undefined;
    const ordered = this.ring.length < this.capacity ? this.ring : [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
    return ordered.filter((entry) => isAfter(entry.mark, after) && (storyId === undefined || entry.storyId === storyId)).map((entry) => entry.frame);
  }
}

function resetReason(after: Mark | undefined): string {
  if (after === undefined) return 'Last-Event-ID is not an id this feed sends; reload the state';
  return 'Last-Event-ID is older than the feed remembers, or newer than its views; reload the state';
}

function isAfter(mark: Mark, after: Mark): boolean {
  return mark.position > after.position || (mark.position === after.position && mark.revision > after.revision);
}

/** `<position>.<revision>` as sent in `id:`; a bare position means its last event; anything else undefined. */
export function parseFeedId(text: string): Mark | undefined {
  const match = /^(\d{1,20})(?:\.(\d{1,20}))?$/.exec(text.trim());
  if (match === null) return undefined;
  return { position: BigInt(match[1]!), revision: match[2] === undefined ? 2n ** 63n : BigInt(match[2]) };
}

/** One SSE frame, as the bytes every client receives. JSON has no raw newlines, so `data:` is one line. */
export function frame(event: string, id: string | undefined, data: unknown): Buffer {
  return Buffer.from(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
