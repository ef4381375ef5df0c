import { type IsoDateTime, type StoryEvent, type StoryEventMetadata, utcWorldTime, worldTimeOf } from '@newsroom/domain';

/**
 * A recorded newsroom event as a view sees it: the event itself (`type`
 * narrows `data`), where it sits in its story stream and in `$all`, and who
 * recorded it when. The domain's RecordedStoryEvent (what the event-store
 * adapter reads back) is assignable to it as is, so the runner passes the
 * adapter's events straight in.
 */
export type ViewEvent = StoryEvent & {
  readonly storyId: string;
  /** The event's revision in its story stream (0 for the first). */
  readonly revision: bigint;
  /** Its commit position in `$all`. */
  readonly position: bigint;
  readonly metadata: Pick<StoryEventMetadata, 'recordedAt' | 'recordedBy'>;
};

/**
 * What a view has applied: the last event's commit position and, to break
 * ties, its stream revision. Events of one append may share a commit position
 * on a real server (esdb-wire.md leaves it open), but an append writes one
 * stream, so (position, revision) strictly increases along `$all`.
 */
export interface Watermark {
  position: bigint;
  revision: bigint;
}

/** Below every real position: nothing applied yet. */
export function initialWatermark(): Watermark {
  return { position: -1n, revision: -1n };
}

/** True when the event is at or below what the view has applied: replaying it must change nothing. */
export function isApplied(mark: Watermark, event: Pick<ViewEvent, 'position' | 'revision'>): boolean {
  // One comparison for the usual case, a new event past the mark.
  if (event.position > mark.position) return false;
  return event.position < mark.position || event.revision <= mark.revision;
}

export function advanceWatermark(mark: Watermark, event: Pick<ViewEvent, 'position' | 'revision'>): void {
  mark.position = event.position;
  mark.revision = event.revision;
}

/**
 * When the fact happened in the world, in UTC as the views show it. A citation
 * carries no time of its own (it happened when its report was published,
 * which the event does not repeat), hence null.
 */
export function happenedAt(event: StoryEvent): IsoDateTime | null {
  const world = worldTimeOf(event);
  return world === undefined ? null : utcWorldTime(world.time);
}

/** The id the event is chiefly about (a report, a source or a company), for timelines. */
export function subjectOf(event: StoryEvent): string {
  switch (event.type) {
    case 'ReportPublished':
    case 'ReportCorrected':
    case 'ReportRetracted':
      return event.data.reportId;
    case 'SourceCited':
      return event.data.sourceId;
    case 'CompanyDenied':
    case 'CompanyConfirmed':
      return event.data.companyId;
    default: {
      const _unhandled: never = event;
      return '';
    }
  }
}
