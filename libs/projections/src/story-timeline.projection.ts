import { STORY_EVENT_TYPES, type IsoDateTime, type StoryEventType } from '@newsroom/domain';
import { advanceWatermark, happenedAt, initialWatermark, isApplied, subjectOf, type ViewEvent, type Watermark } from './view-event';

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

interface TimelineEntry {
  readonly revision: number;
  readonly position: bigint;
  readonly type: StoryEventType;
  readonly subject: string;
  readonly happenedAt: IsoDateTime | null;
  readonly recordedAt: IsoDateTime;
  readonly recordedBy: string;
}

/**
 * Each story's events, keyed by storyId, in log order. An entry holds only
 * references to strings the event brought, with the event type and the
 * principal interned: a million entries cost little more than their objects.
 */
export interface TimelineView {
  readonly applied: Watermark;
  readonly timelines: Map<string, TimelineEntry[]>;
  /** One copy of each principal's name, however many events it recorded. */
  readonly principals: Map<string, string>;
}

export function createTimelineView(): TimelineView {
  return { applied: initialWatermark(), timelines: new Map(), principals: new Map() };
}

function intern(pool: Map<string, string>, value: string): string {
  const known = pool.get(value);
  if (known !== undefined) return known;
  pool.set(value, value);
  return value;
}

const EVENT_TYPES = new Map<string, StoryEventType>(STORY_EVENT_TYPES.map((type) => [type, type]));

export function evolveTimelines(view: TimelineView, event: ViewEvent): TimelineView {
  if (isApplied(view.applied, event)) return view;
  let timeline = view.timelines.get(event.storyId);
  if (!timeline) {
    timeline = [];
    view.timelines.set(event.storyId, timeline);
  }
  timeline.push({
    revision: Number(event.revision),
    position: event.position,
    type: EVENT_TYPES.get(event.type) ?? event.type,
    subject: subjectOf(event),
    happenedAt: happenedAt(event),
    recordedAt: event.metadata.recordedAt,
    recordedBy: intern(view.principals, event.metadata.recordedBy),
  });
  advanceWatermark(view.applied, event);
  return view;
}

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

export function getTimeline(view: TimelineView, storyId: string, order: TimelineOrder = 'recorded'): StoryTimeline | undefined {
  const timeline = view.timelines.get(storyId);
  if (!timeline) return undefined;
  const events = timeline.map(toEntryReadModel);
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
