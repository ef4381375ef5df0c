import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorators';
import { ApiAccessProblems, ApiProblem } from '../errors/problem-details.schema';
import { queryValidation } from '../reads/query-validation.pipe';
import { ReadQueryDto } from '../reads/dto/read-query.dto';
import { parseMinPosition } from '../views/views.service';
import { identifierParam } from '../views/read-params';
import { AuditService, type StoryHistory } from './audit.service';
import { StoryHistoryDto } from './dto/story-history.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('stories')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get(':storyId/history')
  @Roles('auditor')
  @ApiOperation({
    summary: "A story's full history, read from its stream",
    description:
      'Each event with its revision, commit position, type, recordedAt, recordedBy, the posting tool, correlation and causation ids, and data. ' +
      'Read from the event store, never from the views, so minPosition is always met (it is validated and needs no wait).',
  })
  @ApiOkResponse({ type: StoryHistoryDto })
  @ApiAccessProblems('auditor')
  @ApiProblem(400, 'A bad story id or query parameter', ['INVALID_STORY_ID', 'INVALID_QUERY', 'INVALID_MIN_POSITION'])
  @ApiProblem(404, 'Unknown story', ['STORY_NOT_FOUND'])
  @ApiProblem(410, 'The story’s stream was deleted in the event store', ['STORY_DELETED'])
  @ApiProblem(503, 'The event store is unreachable (Retry-After)', ['STORE_UNAVAILABLE'])
  async history(@Param('storyId') storyId: string, @Query(queryValidation()) query: ReadQueryDto): Promise<StoryHistory> {
    if (query.minPosition !== undefined) parseMinPosition(query.minPosition);
    return this.audit.history(identifierParam('storyId', storyId));
  }
}
