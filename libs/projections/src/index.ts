export {
  advanceWatermark,
  happenedAt,
  initialWatermark,
  isApplied,
  subjectOf,
  type ViewEvent,
  type Watermark,
} from './view-event';
export { ProjectionQueryError, type ProjectionQueryErrorCode } from './projection.errors';
export {
  createStoryStatesView,
  evolveStoryStates,
  getStoryState,
  type ClaimReadModel,
  type ClaimResponseReadModel,
  type CompanyResponseReadModel,
  type ReportReadModel,
  type ReportStatus,
  type SourceCounts,
  type SourceReadModel,
  type StoryCompanyReadModel,
  type StoryReadModel,
  type StoryRecord,
  type StoryStatesView,
} from './story-state.projection';
export { foldStoryAsOf, type StoryCutoff } from './story-as-of.fold';
export {
  MAX_STORY_LIST_LIMIT,
  createStoryListIndex,
  evolveStoryList,
  getStorySummary,
  listStories,
  type StoryListEntry,
  type StoryListFilters,
  type StoryListIndex,
  type StoryListPage,
  type StorySummary,
} from './story-list.projection';
export {
  createCompanyView,
  evolveCompanies,
  getCompany,
  type CompanyReadModel,
  type CompanyStanceReadModel,
  type CompanyView,
} from './company.projection';
export {
  createTimelineView,
  evolveTimelines,
  getTimeline,
  type StoryTimeline,
  type TimelineEntryReadModel,
  type TimelineOrder,
  type TimelineView,
} from './story-timeline.projection';
export { createNewsroomViews, evolveNewsroomViews, hasApplied, viewsPosition, type NewsroomViews } from './newsroom.views';
export { digestViews, writeCanonicalViews, type ViewsDigest } from './views.digest';
export { generateNewsroomLog, type GeneratedStoryEvent, type NewsroomLogOptions } from './newsroom-log.generator';
