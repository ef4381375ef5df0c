import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { getStorySummary, type StorySummary } from '@newsroom/projections';
import type { StoryChange } from '../views/projection.runner';
import { VIEWS_OPTIONS, type ViewsOptions } from '../views/views.options';
import { ViewsService } from '../views/views.service';

/** One story change as the live feed sends it. */
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
export interface FeedClient {
  readonly storyId: string | undefined;
  send(frame: string): void;
  end(): void;
}

interface Mark {
  readonly position: bigint;
  readonly revision: bigint;
}

/**
 * Fans the runner's story changes out to Server-Sent Events clients, and keeps the
 * last changes so a client that reconnects with Last-Event-ID misses nothing (or is
 * told to reload when it was away for longer than the feed remembers).
 */
@Injectable()
export class LiveFeedService implements OnModuleInit, OnModuleDestroy {
  private readonly clients = new Set<FeedClient>();
  private readonly capacity: number;
  /** A ring of the last changes, oldest at `start`. */
  private readonly ring: { item: FeedItem; mark: Mark }[] = [];
  private start = 0;
  /** The newest change the ring has let go of. */
  private evicted: Mark | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly views: ViewsService,
    @Inject(VIEWS_OPTIONS) options: ViewsOptions,
  ) {
    this.capacity = options.feedReplayCapacity ?? 10_000;
  }

  onModuleInit(): void {
    this.unsubscribe = this.views.onChange((change) => this.publish(change));
  }

  /** Ends every open stream so the server can close (an SSE response never ends on its own). */
  onModuleDestroy(): void {
    this.unsubscribe?.();
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  get connected(): number {
    return this.clients.size;
  }

  /**
   * Registers a client; first replays what it missed after `lastEventId`, all in one
   * synchronous step, so no change falls between the replay and the live feed.
   */
  connect(client: FeedClient, lastEventId: string | undefined): () => void {
    const position = this.views.status().position;
    client.send(frame('ready', undefined, { position }));
    if (lastEventId !== undefined) {
      const after = parseFeedId(lastEventId);
      // An id this feed cannot place (unreadable, or past what the views hold: another store's) says
      // nothing of what the client has seen: like one too old to resume, the client must reload.
      const missed = after === undefined || after.position > BigInt(position) ? undefined : this.since(after);
      if (missed === undefined) client.send(frame('reset', undefined, { reason: resetReason(after), position }));
      else for (const item of missed) this.deliver(client, item);
    }
    this.clients.add(client);
    return () => this.clients.delete(client);
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
    const entry = { item, mark: { position: event.position, revision: event.revision } };
    if (this.ring.length < this.capacity) this.ring.push(entry);
    else {
      this.evicted = this.ring[this.start]!.mark;
      this.ring[this.start] = entry;
      this.start = (this.start + 1) % this.capacity;
    }
    if (this.clients.size === 0) return;
    // The summary is the story's state right after this event: what a dashboard shows.
    const story = getStorySummary(views, event.storyId);
    for (const client of this.clients) this.deliver(client, item, story);
  }

  private deliver(client: FeedClient, item: FeedItem, story?: StorySummary): void {
    if (client.storyId !== undefined && client.storyId !== item.storyId) return;
    const summary = story ?? getStorySummary(this.views.views, item.storyId);
    client.send(frame('story', item.id, { ...item, story: summary ?? null }));
  }

  /** The changes after `after`, oldest first; undefined when some of them were let go of. */
  private since(after: Mark): FeedItem[] | undefined {
    if (this.evicted !== undefined && isAfter(this.evicted, after)) return undefined;
    const ordered = this.ring.length < this.capacity ? this.ring : [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
    return ordered.filter((entry) => isAfter(entry.mark, after)).map((entry) => entry.item);
  }
}

function resetReason(after: Mark | undefined): string {
  if (after === undefined) return 'Last-Event-ID is not an id this feed sends; reload the state';
  return 'Last-Event-ID is older than the feed remembers, or newer than its views; reload the state';
}

function isAfter(mark: Mark, after: Mark): boolean {
  return mark.position > after.position || (mark.position === after.position && mark.revision > after.revision);
}

/** `<position>.<revision>` as sent in `id:`; a bare position means its last event. */
export function parseFeedId(text: string): Mark | undefined {
  const match = /^(\d{1,20})(?:\.(\d{1,20}))?$/.exec(text.trim());
  if (match === null) return undefined;
  return { position: BigInt(match[1]!), revision: match[2] === undefined ? 2n ** 63n : BigInt(match[2]) };
}

/** One SSE frame. JSON has no raw newlines, so `data:` is one line. */
export function frame(event: string, id: string | undefined, data: unknown): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
