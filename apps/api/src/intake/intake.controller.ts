import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiExtraModels, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { IDENTIFIER_RULE, STORY_RULE_CODES } from '@newsroom/domain';
import { Roles } from '../auth/access.decorators';
import { ApiAccessProblems, ApiProblem } from '../errors/problem-details.schema';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { POSTED_EVENT_DTOS, POSTED_EVENTS_BODY } from './dto/posted-event.dto';
import { RecordedAnswerDto } from './dto/recorded-answer.dto';
import { problem, ProblemException } from '../errors/problem-details';
import { truncateText, utf8HeaderValue } from './header-text';
import { correlationIdOf } from '../observability/correlation-id';
import { etagOf } from './if-match';
import { IntakeService, type RecordedAnswer } from './intake.service';

const MAX_TOOL_LENGTH = 200;

@ApiTags('intake')
@ApiBearerAuth()
@ApiExtraModels(...Object.values(POSTED_EVENT_DTOS))
@Controller('stories')
export class IntakeController {
  constructor(private readonly intake: IntakeService) {}

  @Post(':storyId/events')
  @Roles('writer')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Record facts about a story',
    description: 'One event {type, data} or an array of them, recorded all or nothing. The first event of a story must be a ReportPublished.',
  })
  @ApiParam({ name: 'storyId', description: `${IDENTIFIER_RULE[0]!.toUpperCase()}${IDENTIFIER_RULE.slice(1)}` })
  @ApiBody({ schema: POSTED_EVENTS_BODY })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a retried post write nothing new and answer as the first time' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The revision the story must be at (the ETag of a previous 201), or *' })
  @ApiHeader({ name: 'X-Newsroom-Tool', required: false, description: 'The posting tool, recorded in each event (else User-Agent); UTF-8 text, else 400' })
  @ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Recorded as $correlationId (else a new id)' })
  @ApiCreatedResponse({
    type: RecordedAnswerDto,
    description: 'Recorded (or replayed: the first answer again)',
    headers: {
      ETag: { description: 'The story’s new revision, quoted: send it back as If-Match', schema: { type: 'string', example: '"4"' } },
      Location: { description: 'The story', schema: { type: 'string', example: '/stories/ford-xiaomi-us-ev-talks' } },
      'Idempotent-Replayed': {
        description: 'true when an earlier post with this Idempotency-Key had recorded these events',
        schema: { type: 'string', enum: ['true'] },
      },
    },
  })
  @ApiProblem(400, 'Bad shape (errors lists each field by JSON pointer), bad JSON, or a bad header or story id', [
    'VALIDATION_FAILED',
    'INVALID_JSON',
    'INVALID_STORY_ID',
    'INVALID_IF_MATCH',
    'INVALID_IDEMPOTENCY_KEY',
    'INVALID_TOOL_HEADER',
    'PARAMETER_TOO_LONG',
    'BAD_URL',
    'BAD_REQUEST',
  ])
  @ApiAccessProblems('writer')
  @ApiProblem(404, 'Unknown story: its first event must be a ReportPublished', ['STORY_NOT_FOUND'])
  @ApiProblem(409, 'A rule of the story was broken (code names it; eventIndex the event), or the story kept changing under the post', [
    ...STORY_RULE_CODES.filter((code) => code !== 'STORY_NOT_FOUND'),
    'CONCURRENT_WRITES',
  ])
  @ApiProblem(410, 'The story’s stream was deleted in the event store', ['STORY_DELETED'])
  @ApiProblem(412, 'If-Match does not match the story’s revision', ['REVISION_MISMATCH'])
  @ApiProblem(413, 'Body over 1 MiB, or more than the store takes in one append', ['PAYLOAD_TOO_LARGE'])
  @ApiProblem(415, 'Not application/json', ['UNSUPPORTED_MEDIA_TYPE'])
  @ApiProblem(422, 'Idempotency-Key already recorded other events on this story', ['IDEMPOTENCY_KEY_REUSED'])
  @ApiProblem(503, 'The event store is unreachable or its disk is full, or the outcome is unknown: retry with the same Idempotency-Key (Retry-After)', [
    'STORE_UNAVAILABLE',
    'STORE_FULL',
  ])
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
    const tool = toolOf(request);
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

/** The posting tool, as recorded: X-Newsroom-Tool, else User-Agent, read as UTF-8. */
function toolOf(request: AuthenticatedRequest): string | undefined {
  const named = header(request, 'x-newsroom-tool');
  const raw = named ?? header(request, 'user-agent');
  if (raw === undefined) return undefined;
  const text = utf8HeaderValue(raw);
  if (text === undefined) {
    const name = named === undefined ? 'User-Agent' : 'X-Newsroom-Tool';
    throw new ProblemException(problem(400, 'INVALID_TOOL_HEADER', `Unreadable ${name} header`, `The ${name} header must be UTF-8 text.`));
  }
  return truncateText(text, MAX_TOOL_LENGTH);
}

/** A request header's value (the first, if it was sent more than once). */
function header(request: AuthenticatedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
