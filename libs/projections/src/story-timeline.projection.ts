import type { IsoDateTime, StoryEventType } from '@newsroom/domain';
import type { NewsroomViews } from './newsroom.views';
import { timelineEntry, timelineLength, type StoryRecord, type TimelineEntry } from './story-record.fold';

export interface TimelineEntryReadModel {
  readonly revision: number;
  readonly position: string;
  readonly type: StoryEventType;
  /** The report, source or company the event is about. */
  readonly subject: string;
  /** When it happened in the world (null for a citation, which carries no time of its own). */
  readonly happenedAt: IsoDateTime | null;
  readonly recordedAt: IsoDateTime;
  readonly recordedBy: string;
}

export interface StoryTimeline {
  readonly storyId: string;
  readonly events: readonly TimelineEntryReadModel[];
}

/** `recorded`: the log's order. `happened`: world time, a citation keeping the time of the event recorded before it. */
export type TimelineOrder = 'recorded' | 'happened';

function toEntryReadModel(entry: TimelineEntry): TimelineEntryReadModel {
  return {
    revision: entry.revision,
    position: entry.position.toString(),
    type: entry.type,
    subject: entry.subject,
    happenedAt: entry.happenedAt,
    recordedAt: entry.recordedAt,
    recordedBy: entry.recordedBy,
  };
}

export function toStoryTimeline(record: StoryRecord, order: TimelineOrder = 'recorded'): StoryTimeline {
  const { storyId } = record;
  const events = Array.from({ length: timelineLength(record.timeline) }, (_, i) => toEntryReadModel(timelineEntry(record.timeline, i)));
  if (order === 'happened') {
    let previous = Number.NEGATIVE_INFINITY;
    const keyed = events.map((entry) => {
      const ms = entry.happenedAt === null ? Number.NaN : Date.parse(entry.happenedAt);
      if (!Number.isNaN(ms)) previous = ms;
      return { entry, ms: previous };
    });
    // Array.prototype.sort is stable: equal times keep the log's order.
    keyed.sort((a, b) => a.ms - b.ms);
    return { storyId, events: keyed.map((k) => k.entry) };
  }
  return { storyId, events };
}

/** The story's events (the timeline is part of the story's record, packed; its entries hold only what the event brought). */
export function getTimeline(views: NewsroomViews, storyId: string, order: TimelineOrder = 'recorded'): StoryTimeline | undefined {
  const record = views.stories.get(storyId);
  return record && toStoryTimeline(record, order);
}
