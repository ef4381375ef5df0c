import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { STORY_EVENT_TYPES } from '@newsroom/domain';
import { Roles } from '../auth/access.decorators';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { correlationIdOf } from '../observability/correlation-id';
import { etagOf } from './if-match';
import { IntakeService, type RecordedAnswer } from './intake.service';
import { EVENT_DTOS } from './posted-events.validator';

const MAX_TOOL_LENGTH = 200;

const eventSchemas = STORY_EVENT_TYPES.map((type) => ({
  type: 'object',
  required: ['type', 'data'],
  additionalProperties: false,
  properties: { type: { type: 'string', enum: [type] }, data: { $ref: getSchemaPath(EVENT_DTOS[type].dto) } },
}));

@ApiTags('intake')
@ApiBearerAuth()
@ApiExtraModels(...STORY_EVENT_TYPES.map((type) => EVENT_DTOS[type].dto))
@Controller('stories')
export class IntakeController {
  constructor(private readonly intake: IntakeService) {}

  @Post(':storyId/events')
  @Roles('writer')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Record facts about a story',
    description:
      'One event {type, data} or an array of them, recorded all or nothing. The first event of a story must be a ReportPublished.',
  })
  @ApiParam({ name: 'storyId', description: 'A slug: letters, digits, "-", "_", "." (1 to 128)' })
  @ApiBody({ schema: { oneOf: [...eventSchemas, { type: 'array', items: { oneOf: eventSchemas } }] } })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a retried post write nothing new and answer as the first time' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The revision the story must be at (the ETag of a previous 201), or *' })
  @ApiHeader({ name: 'X-Newsroom-Tool', required: false, description: 'The posting tool, recorded in each event (else User-Agent)' })
  @ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Recorded as $correlationId (else a new id)' })
  @ApiCreatedResponse({ description: 'Recorded; ETag is the new revision', schema: { example: { storyId: 'ford-xiaomi-us-ev-talks', revision: 4, position: '1234', eventIds: ['…'] } } })
  @ApiResponse({ status: 400, description: 'Bad shape: the validation errors are listed (Problem Details)' })
  @ApiResponse({ status: 401, description: 'No valid bearer token' })
  @ApiResponse({ status: 403, description: 'The token lacks the writer role' })
  @ApiResponse({ status: 404, description: 'Unknown story (code STORY_NOT_FOUND)' })
  @ApiResponse({ status: 409, description: 'A rule of the story was broken (code names it)' })
  @ApiResponse({ status: 412, description: 'If-Match does not match the story revision' })
  @ApiResponse({ status: 413, description: 'Body too large' })
  @ApiResponse({ status: 415, description: 'Not application/json' })
  @ApiResponse({ status: 422, description: 'Idempotency-Key reused for different events' })
  @ApiResponse({ status: 503, description: 'The event store is unreachable' })
  async post(
    @Param('storyId') storyId: string,
    @Body() body: unknown,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RecordedAnswer> {
    // The headers read from the request itself: one parameter for Nest to resolve, not five.
    const ifMatch = header(request, 'if-match');
    const idempotencyKey = header(request, 'idempotency-key');
    // The request id of the log lines: an event's causation leads to its request's line.
    const requestId = request.id;
    const tool = (header(request, 'x-newsroom-tool') ?? header(request, 'user-agent'))?.slice(0, MAX_TOOL_LENGTH);
    const { answer, replayed } = await this.intake.record({
      storyId,
      body,
      ...(ifMatch === undefined ? {} : { ifMatch }),
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      context: {
        // The guard ran first: a route with @Roles never runs without a principal.
        recordedBy: request.principal!.name,
        correlationId: correlationIdOf(request.headers) ?? requestId,
        causationId: requestId,
        ...(tool === undefined ? {} : { tool }),
      },
    });
    reply.header('etag', etagOf(answer.revision));
    reply.header('location', `/stories/${storyId}`);
    if (replayed) reply.header('idempotent-replayed', 'true');
    return answer;
  }
}

/** A request header's value (the first, if it was sent more than once). */
function header(request: AuthenticatedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
