import { createCompanyView, evolveCompanies, type CompanyView } from './company.projection';
import { createStoryListIndex, evolveStoryList, type StoryListIndex } from './story-list.projection';
import { createStoryStatesView, evolveStoryStates, type StoryStatesView } from './story-state.projection';
import { createTimelineView, evolveTimelines, type TimelineView } from './story-timeline.projection';
import { isApplied, type ViewEvent } from './view-event';

/**
 * Every view the api holds, fed the same events in `$all` order.
 *
 * What "pure" means here: the views are plain data updated IN PLACE (copying
 * a million-event state per event would cost what the replay target forbids).
 * Each evolve returns the view it was given. What holds is what a projection
 * needs: the views depend on nothing but the events applied (no clock, no
 * I/O, no randomness), so the same events give the same views, and an event
 * at or below a view's watermark changes nothing, so replaying twice is safe.
 * Reads (getStoryState, listStories, ...) build fresh objects and never hand
 * out the views' own mutable parts.
 */
export interface NewsroomViews {
  readonly storyStates: StoryStatesView;
  readonly storyList: StoryListIndex;
  readonly companies: CompanyView;
  readonly timelines: TimelineView;
}

export function createNewsroomViews(): NewsroomViews {
  return {
    storyStates: createStoryStatesView(),
    storyList: createStoryListIndex(),
    companies: createCompanyView(),
    timelines: createTimelineView(),
  };
}

export function evolveNewsroomViews(views: NewsroomViews, event: ViewEvent): NewsroomViews {
  evolveStoryStates(views.storyStates, event);
  evolveStoryList(views.storyList, event);
  evolveCompanies(views.companies, event);
  evolveTimelines(views.timelines, event);
  return views;
}

/** True when every view has already applied the event (the runner skips it, and publishes no change). */
export function hasApplied(views: NewsroomViews, event: Pick<ViewEvent, 'position' | 'revision'>): boolean {
  return (
    isApplied(views.storyStates.applied, event) &&
    isApplied(views.storyList.applied, event) &&
    isApplied(views.companies.applied, event) &&
    isApplied(views.timelines.applied, event)
  );
}

/** The commit position of the last event every view has applied; -1n before any. */
export function viewsPosition(views: NewsroomViews): bigint {
  const positions = [views.storyStates, views.storyList, views.companies, views.timelines].map((v) => v.applied.position);
  return positions.reduce((a, b) => (b < a ? b : a));
}
