import { ProjectionQueryError } from './projection.errors';
import { foldIntoRecord, newStoryRecord, type StoryRecord } from './story-record.fold';
import { toStoryReadModel, type StoryReadModel } from './story-state.projection';
import type { ViewEvent } from './view-event';

/** Where to stop folding a story: what was recorded by a time, or the story at a revision. Both may be given. */
export interface StoryCutoff {
  /** ISO 8601 time: events recorded at or before it (metadata.recordedAt). */
  readonly recordedAt?: string;
  /** The last stream revision to include. */
  readonly revision?: bigint | number;
}

/**
 * Folds a story's own events, read from its stream in revision order, into
 * its read shape as of a cutoff: audit's "what did we know at T" and "the
 * story at revision n". It never touches a live view.
 *
 * The fold stops at the first event past the cutoff rather than skipping it:
 * a state is only meaningful for a prefix of the stream (a denial refers to
 * claims of earlier events), and recordedAt comes from the api replica's clock,
 * so a skewed clock must not make a later event count as earlier. Events at or
 * below a revision already folded are ignored, like the live views do.
 *
 * Undefined when no event falls within the cutoff: the story did not exist yet.
 */
export function foldStoryAsOf(events: Iterable<ViewEvent>, cutoff: StoryCutoff = {}): StoryReadModel | undefined {
  const until = cutoff.recordedAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(cutoff.recordedAt);
  if (Number.isNaN(until)) {
    throw new ProjectionQueryError('INVALID_AS_OF', 'asOf', `asOf is not an ISO 8601 time: ${cutoff.recordedAt}`);
  }
  const lastRevision = cutoff.revision === undefined ? undefined : BigInt(cutoff.revision);
  let record: StoryRecord | undefined;
  const strings = new Map<string, string>();
  for (const event of events) {
    if (lastRevision !== undefined && event.revision > lastRevision) break;
    if (Date.parse(event.metadata.recordedAt) > until) break;
    if (record && event.revision <= BigInt(record.revision)) continue;
    record ??= newStoryRecord(event);
    // The same fold as the live views, on a record of its own: no view is read or touched.
    foldIntoRecord(record, event, strings);
  }
  return record && toStoryReadModel(record);
}
