import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorators';
import { queryValidation } from '../reads/query-validation.pipe';
import { ReadQueryDto } from '../reads/dto/read-query.dto';
import { parseMinPosition } from '../views/views.service';
import { identifierParam } from '../views/read-params';
import { AuditService, type StoryHistory } from './audit.service';

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
  @ApiOkResponse({ description: '{storyId, revision, events: [...]}' })
  @ApiResponse({ status: 403, description: 'The token lacks the auditor role' })
  @ApiResponse({ status: 404, description: 'Unknown story (code STORY_NOT_FOUND)' })
  @ApiResponse({ status: 503, description: 'The event store is unreachable' })
  async history(@Param('storyId') storyId: string, @Query(queryValidation()) query: ReadQueryDto): Promise<StoryHistory> {
    if (query.minPosition !== undefined) parseMinPosition(query.minPosition);
    return this.audit.history(identifierParam('storyId', storyId));
  }
}
