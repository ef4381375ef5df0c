import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  type CompanyReadModel,
  getCompany,
  getStoryState,
  getTimeline,
  listStories,
  type StoryListPage,
  type StoryReadModel,
  type StoryTimeline,
} from '@newsroom/projections';
import { Roles } from '../auth/access.decorators';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { problem, ProblemException } from '../errors/problem-details';
import { ApiAccessProblems, ApiProblem, ApiViewsBehindProblem } from '../errors/problem-details.schema';
import { AuditService } from '../audit/audit.service';
import { answeringQueryErrors, identifierParam, storyNotFound } from '../views/read-params';
import { ViewsService } from '../views/views.service';
import { CompanyDto } from './dto/company.dto';
import { ListStoriesQueryDto, ReadQueryDto, StoryQueryDto, TimelineQueryDto } from './dto/read-query.dto';
import { StoryListPageDto } from './dto/story-list.dto';
import { StoryTimelineDto } from './dto/story-timeline.dto';
import { StoryDto } from './dto/story.dto';
import { queryValidation } from './query-validation.pipe';

/** A page of the story list, with the views' position it was read at. */
export interface StoryListAnswer extends StoryListPage {
  readonly position: string;
}

const WAIT_DOC = 'With ?minPosition= (a 201 position) the read first waits until the views hold it, bounded: 503 VIEWS_BEHIND when it runs out.';

/**
 * Dashboard reads, answered from the views in memory. Auditors may read them too:
 * comparing what a dashboard shows with the log is their job.
 */
@ApiTags('reads')
@ApiBearerAuth()
@Controller()
export class ReadsController {
  constructor(
    private readonly views: ViewsService,
    private readonly audit: AuditService,
  ) {}

  @Get('stories')
  @Roles('reader', 'auditor')
  @ApiOperation({
    summary: 'The story list, newest story first, filtered',
    description: `Filters combine (all must match). Pages are stable: pass nextCursor back as cursor. ${WAIT_DOC}`,
  })
  @ApiOkResponse({ type: StoryListPageDto })
  @ApiProblem(400, 'A bad filter, cursor or limit (errors lists each bad parameter)', ['INVALID_QUERY'])
  @ApiAccessProblems('reader or auditor')
  @ApiViewsBehindProblem()
  async list(@Query(queryValidation()) query: ListStoriesQueryDto): Promise<StoryListAnswer> {
    await this.views.reach(query.minPosition);
    const views = this.views.views;
    const page = answeringQueryErrors(() =>
      listStories(
        views,
        {
          ...(query.status === undefined ? {} : { status: query.status }),
          ...(query.company === undefined ? {} : { company: query.company }),
          ...(query.outlet === undefined ? {} : { outlet: query.outlet }),
          ...(query.language === undefined ? {} : { language: query.language }),
          ...(query.updatedSince === undefined ? {} : { updatedSince: query.updatedSince }),
        },
        query.cursor ?? null,
        query.limit,
      ),
    );
    return { ...page, position: this.views.status().position };
  }

  @Get('stories/:storyId')
  @Roles('reader', 'auditor')
  @ApiParam({ name: 'storyId', description: 'A slug: letters, digits, "-", "_", "." (1 to 128)' })
  @ApiOperation({
    summary: "A story's current state",
    description:
      `From the views. ${WAIT_DOC} Auditors may add ?asOf=<ISO time> (what was recorded by then) and/or ?atRevision=<n>: ` +
      "the state is then folded from the story's own stream, never from the views.",
  })
  @ApiOkResponse({ type: StoryDto })
  @ApiAccessProblems('reader or auditor (asOf and atRevision: auditor)')
  @ApiProblem(400, 'A bad story id or query parameter', ['INVALID_STORY_ID', 'INVALID_QUERY'])
  @ApiProblem(404, 'Unknown story, or none recorded by asOf; atRevision beyond its head', ['STORY_NOT_FOUND', 'REVISION_NOT_FOUND'])
  @ApiProblem(410, 'asOf / atRevision: the story’s stream was deleted in the event store', ['STORY_DELETED'])
  @ApiProblem(503, 'asOf / atRevision: the event store is unreachable; else the views are behind (Retry-After)', [
    'STORE_UNAVAILABLE',
    'VIEWS_BEHIND',
    'VIEWS_CATCHING_UP',
  ])
  async story(
    @Param('storyId') storyIdParam: string,
    @Query(queryValidation()) query: StoryQueryDto,
    @Req() request: AuthenticatedRequest,
  ): Promise<StoryReadModel> {
    const storyId = identifierParam('storyId', storyIdParam);
    if (query.asOf !== undefined || query.atRevision !== undefined) {
      if (request.principal?.roles.has('auditor') !== true) {
        throw new ProblemException(problem(403, 'FORBIDDEN', 'Forbidden', 'asOf and atRevision need the role auditor.', { requiredRoles: ['auditor'] }));
      }
      return this.audit.storyAt(storyId, {
        ...(query.asOf === undefined ? {} : { asOf: query.asOf }),
        ...(query.atRevision === undefined ? {} : { atRevision: Number(query.atRevision) }),
      });
    }
    await this.views.reach(query.minPosition);
    const state = getStoryState(this.views.views, storyId);
    if (state === undefined) throw storyNotFound(storyId);
    return state;
  }

  @Get('stories/:storyId/timeline')
  @Roles('reader', 'auditor')
  @ApiParam({ name: 'storyId', description: 'A slug: letters, digits, "-", "_", "." (1 to 128)' })
  @ApiOperation({
    summary: "A story's timeline from the views",
    description: `Each event's revision, position, type, subject, happenedAt (world time), recordedAt and recordedBy. ${WAIT_DOC}`,
  })
  @ApiOkResponse({ type: StoryTimelineDto })
  @ApiAccessProblems('reader or auditor')
  @ApiViewsBehindProblem()
  @ApiProblem(400, 'A bad story id or query parameter', ['INVALID_STORY_ID', 'INVALID_QUERY'])
  @ApiProblem(404, 'Unknown story', ['STORY_NOT_FOUND'])
  async timeline(@Param('storyId') storyIdParam: string, @Query(queryValidation()) query: TimelineQueryDto): Promise<StoryTimeline> {
    const storyId = identifierParam('storyId', storyIdParam);
    await this.views.reach(query.minPosition);
    const timeline = getTimeline(this.views.views, storyId, query.order ?? 'recorded');
    if (timeline === undefined) throw storyNotFound(storyId);
    return timeline;
  }

  @Get('companies/:companyId')
  @Roles('reader', 'auditor')
  @ApiParam({ name: 'companyId', description: 'A slug, e.g. ford' })
  @ApiOperation({ summary: "A company's denials and confirmations across stories", description: WAIT_DOC })
  @ApiOkResponse({ type: CompanyDto })
  @ApiAccessProblems('reader or auditor')
  @ApiViewsBehindProblem()
  @ApiProblem(400, 'A bad company id or query parameter', ['INVALID_COMPANY_ID', 'INVALID_QUERY'])
  @ApiProblem(404, 'No denial or confirmation by this company is recorded', ['COMPANY_NOT_FOUND'])
  async company(@Param('companyId') companyIdParam: string, @Query(queryValidation()) query: ReadQueryDto): Promise<CompanyReadModel> {
    const companyId = identifierParam('companyId', companyIdParam);
    await this.views.reach(query.minPosition);
    const company = getCompany(this.views.views, companyId);
    if (company === undefined) {
      throw new ProblemException(
        problem(404, 'COMPANY_NOT_FOUND', 'Unknown company', `No denial or confirmation by ${companyId} has been recorded.`, { companyId }),
      );
    }
    return company;
  }
}
