export { advanceWatermark, happenedAt, initialWatermark, isApplied, subjectOf, type ViewEvent, type Watermark } from './view-event';
export { ProjectionQueryError, type ProjectionQueryErrorCode } from './projection.errors';
export { createNewsroomViews, evolveNewsroomViews, hasApplied, viewsPosition, type NewsroomViews } from './newsroom.views';
export {
  getStoryState,
  toStoryReadModel,
  type ClaimReadModel,
  type ClaimResponseReadModel,
  type CompanyResponseReadModel,
  type ReportReadModel,
  type ReportStatus,
  type SourceCounts,
  type StoryCompanyReadModel,
  type StoryReadModel,
  type SubjectStanceReadModel,
} from './story-state.projection';
export { foldStoryAsOf, type StoryCutoff } from './story-as-of.fold';
export {
  MAX_STORY_LIST_LIMIT,
  getStorySummary,
  listStories,
  toStorySummary,
  type StoryListFilters,
  type StoryListPage,
  type StorySummary,
} from './story-list.projection';
export { getCompany, type CompanyReadModel, type CompanyStanceReadModel } from './company.projection';
export { getTimeline, type StoryTimeline, type TimelineEntryReadModel, type TimelineOrder } from './story-timeline.projection';
export { type StoryRecord } from './story-record.fold';
export { digestViews, writeCanonicalStory, type Sha256Hash, type ViewsDigest } from './views.digest';
export { generateNewsroomLog, type GeneratedStoryEvent, type NewsroomLogOptions } from './newsroom-log.generator';
