import type { components } from './schema';

/**
 * The api's read shapes, by the names the desk uses, generated from the api's OpenAPI
 * document (`npm run openapi` writes openapi.json; `npm run openapi:types` writes schema.d.ts),
 * so the page and the api cannot drift apart unnoticed.
 */
type Schemas = components['schemas'];

export type ClaimStatus = Schemas['ClaimStatus'];
export type SourceKind = keyof Schemas['SourceCounts'];
export type Session = Schemas['Session'];
export type StorySummary = Schemas['StorySummary'];
export type StoryListAnswer = Schemas['StoryListPage'];
export type StoryReadModel = Schemas['Story'];
export type ReportReadModel = Schemas['Report'];
export type ClaimReadModel = Schemas['Claim'];
export type TimelineEntry = Schemas['TimelineEntry'];
export type StoryTimeline = Schemas['StoryTimeline'];
export type CompanyStance = Schemas['CompanyStance'];
export type CompanyReadModel = Schemas['Company'];
export type StoryHistory = Schemas['StoryHistory'];
export type ProjectionsStatus = Schemas['ProjectionsStatus'];
export type RecordedAnswer = Schemas['RecordedAnswer'];
export type StreamReady = Schemas['StreamReady'];
/** One change on GET /stream (`event: story`). */
export type StoryChange = Schemas['StreamStoryChange'];
/** RFC 9457 Problem Details as the api answers every refusal. */
export type Problem = Schemas['ProblemDetails'];

/** The statuses in the order the desk lists them (the schema's enum, as a value). */
export const CLAIM_STATUSES = ['reported', 'disputed', 'denied', 'confirmed', 'contested', 'retracted'] as const satisfies readonly ClaimStatus[];
export const SOURCE_KINDS = ['anonymous', 'named', 'document', 'statement'] as const satisfies readonly SourceKind[];
