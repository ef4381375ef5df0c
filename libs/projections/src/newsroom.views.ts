import { createCompanyIndex, indexResponse, type CompanyIndex } from './company.projection';
import { createStoryListIndex, indexStatusCount, indexTag, type StoryListIndex } from './story-list.projection';
import { foldIntoRecord, newStoryRecord, type StoryIndexer, type StoryRecord, type StringPool } from './story-record.fold';
import { advanceWatermark, initialWatermark, isApplied, type ViewEvent, type Watermark } from './view-event';

/**
 * Every view the api holds: the story states, the story list index, the
 * company view and the story timelines, fed the same events in `$all` order.
 *
 * They share one record per story (the list index and the company view point
 * into it, the timeline is part of it), so a story's strings and objects are
 * held once, and they advance together under one watermark: the last event
 * applied, which every view has then applied.
 *
 * What "pure" means here: the views are plain data updated IN PLACE (copying
 * state per event would cost what the replay target forbids); evolve returns
 * the views it was given. What holds is what a projection needs: the views
 * depend on nothing but the events applied (no clock, no I/O, no randomness),
 * so the same events give the same views (digestViews proves it), and an
 * event at or below the watermark changes nothing, so replaying twice is
 * safe. Reads build fresh objects and never hand out the views' own parts.
 */
export interface NewsroomViews {
  readonly applied: Watermark;
  readonly stories: Map<string, StoryRecord>;
  readonly list: StoryListIndex;
  readonly companies: CompanyIndex;
  readonly strings: StringPool;
  readonly indexer: StoryIndexer;
}

export function createNewsroomViews(): NewsroomViews {
  const list = createStoryListIndex();
  const companies = createCompanyIndex();
  return {
    applied: initialWatermark(),
    stories: new Map(),
    list,
    companies,
    strings: new Map(),
    indexer: {
      tagged: (record, kind, value) => indexTag(list, record, kind, value),
      counted: (record, status, count) => indexStatusCount(list, record, status, count),
      responded: (_record, response) => indexResponse(companies, response),
    },
  };
}

export function evolveNewsroomViews(views: NewsroomViews, event: ViewEvent): NewsroomViews {
  if (isApplied(views.applied, event)) return views;
  let record = views.stories.get(event.storyId);
  if (!record) {
    record = newStoryRecord(event);
    record.seq = views.list.entries.length;
    views.list.entries.push(record);
    views.stories.set(record.storyId, record);
  }
  foldIntoRecord(record, event, views.strings, views.indexer);
  advanceWatermark(views.applied, event);
  return views;
}

/** True when the views have already applied the event: the runner skips it and publishes no change. */
export function hasApplied(views: NewsroomViews, event: Pick<ViewEvent, 'position' | 'revision'>): boolean {
  return isApplied(views.applied, event);
}

/** The commit position of the last event applied; -1n before any. */
export function viewsPosition(views: NewsroomViews): bigint {
  return views.applied.position;
}
