import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { IDENTIFIER_PATTERN } from '@newsroom/domain';
import { Roles } from '../auth/access.decorators';
import { ApiAccessProblems, ApiProblem, ApiViewsBehindProblem } from '../errors/problem-details.schema';
import { ReadQueryDto } from '../reads/dto/read-query.dto';
import { queryValidation } from '../reads/query-validation.pipe';
import { VIEWS_OPTIONS, type ViewsOptions } from '../views/views.options';
import { ViewsService } from '../views/views.service';
import { StreamReadyDto, StreamResetDto, StreamStoryChangeDto } from './dto/stream-event.dto';
import { LiveFeedService } from './live-feed.service';

export class LiveQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ description: 'Only the changes of this story' })
  @IsOptional()
  @IsString()
  @Matches(IDENTIFIER_PATTERN, { message: '$property must be a slug: letters, digits, "-", "_", "." (1 to 128)' })
  storyId?: string;
}

/** A client that reads no faster than this many buffered bytes is cut off (it reconnects with Last-Event-ID). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** What EventSource waits before reconnecting. */
const RETRY_MS = 2_000;

@ApiTags('reads')
@ApiBearerAuth()
@Controller('stream')
export class LiveController {
  private readonly heartbeatMs: number;

  constructor(
    private readonly feed: LiveFeedService,
    private readonly views: ViewsService,
    @Inject(VIEWS_OPTIONS) options: ViewsOptions,
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
  }

  @Get()
  @Roles('reader', 'auditor')
  @ApiOperation({
    summary: 'Story changes as Server-Sent Events',
    description:
      'First `event: ready` (data {position}); then one `event: story` per event applied to the views, with id `<position>.<revision>` and data ' +
      '{id, storyId, revision, position, type, recordedAt, recordedBy, story: the story summary after it}. Reconnect with Last-Event-ID to ' +
      'receive what was missed, or `event: reset` when the feed no longer remembers that far back (reload the state). A comment every 15 s keeps proxies open.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The id of the last story event received' })
  @ApiExtraModels(StreamReadyDto, StreamStoryChangeDto, StreamResetDto)
  @ApiOkResponse({
    description:
      `Server-Sent Events; each frame's data is one JSON object: \`ready\` ${getSchemaPath(StreamReadyDto)}, ` +
      `\`story\` ${getSchemaPath(StreamStoryChangeDto)}, \`reset\` ${getSchemaPath(StreamResetDto)}`,
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiProblem(400, 'A bad query parameter', ['INVALID_QUERY', 'INVALID_MIN_POSITION'])
  @ApiAccessProblems('reader or auditor')
  @ApiViewsBehindProblem()
  async stream(
    @Query(queryValidation()) query: LiveQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Everything that can still be answered with a problem happens before the stream opens.
    await this.views.reach(query.minPosition);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write(`retry: ${RETRY_MS}\n\n`);
    let open = true;
    // Set once connected; `end` may run first, while the missed changes are replayed.
    const registration: { disconnect?: () => void } = {};
    const end = (): void => {
      if (!open) return;
      open = false;
      clearInterval(heartbeat);
      registration.disconnect?.();
      raw.end();
    };
    const heartbeat = setInterval(() => raw.write(`: heartbeat ${new Date().toISOString()}\n\n`), this.heartbeatMs);
    heartbeat.unref();
    const disconnect = this.feed.connect(
      {
        storyId: query.storyId,
        send: (text) => {
          if (!open) return;
          raw.write(text);
          if (raw.writableLength > MAX_BUFFERED_BYTES) end();
        },
        end,
      },
      lastEventId,
    );
    registration.disconnect = disconnect;
    if (!open) disconnect();
    raw.on('close', end);
  }
}
