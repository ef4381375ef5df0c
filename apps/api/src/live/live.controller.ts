import { Controller, Get, Headers, Inject, Query, Req, Res } from '@nestjs/common';
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
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { problem, ProblemException } from '../errors/problem-details';
import { ReadQueryDto } from '../reads/dto/read-query.dto';
import { queryValidation } from '../reads/query-validation.pipe';
import { VIEWS_OPTIONS, type ViewsOptions } from '../views/views.options';
import { ViewsService } from '../views/views.service';
import { StreamReadyDto, StreamResetDto, StreamStoryChangeDto } from './dto/stream-event.dto';
import { type FeedClient, LiveFeedService } from './live-feed.service';
import { StreamQuota } from './stream-quota';

export class LiveQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ description: 'Only the changes of this story' })
  @IsOptional()
  @IsString()
  @Matches(IDENTIFIER_PATTERN, { message: '$property must be a slug: letters, digits, "-", "_", "." (1 to 128)' })
  storyId?: string;
}

/** What EventSource waits before reconnecting. */
const RETRY_MS = 2_000;
/** What a client over its token's stream limit is told to wait. */
const QUOTA_RETRY_AFTER_S = 5;
/**
 * How long an ended stream may take to hand over its last bytes (a reset's included)
 * before its socket is destroyed: a client that reads nothing would otherwise keep them.
 */
const END_GRACE_MS = 10_000;
export const DEFAULT_LIVE_CONNECTIONS_PER_TOKEN = 1_000;

@ApiTags('reads')
@ApiBearerAuth()
@Controller('stream')
export class LiveController {
  private readonly quota: StreamQuota;

  constructor(
    private readonly feed: LiveFeedService,
    private readonly views: ViewsService,
    @Inject(VIEWS_OPTIONS) options: ViewsOptions,
  ) {
    this.quota = new StreamQuota(options.liveConnectionsPerToken ?? DEFAULT_LIVE_CONNECTIONS_PER_TOKEN);
  }

  @Get()
  @Roles('reader', 'auditor')
  @ApiOperation({
    summary: 'Story changes as Server-Sent Events',
    description:
      'First `event: ready` (data {position}); then one `event: story` per event applied to the views, with id `<position>.<revision>` and data ' +
      '{id, storyId, revision, position, type, recordedAt, recordedBy, story: the story summary after it}. Reconnect with Last-Event-ID to ' +
      'receive what was missed, or `event: reset` when the feed no longer remembers that far back, or the id is not one it sent (reload the state). ' +
      'Changes are written a few milliseconds at a time. A client that falls too far behind is sent `event: reset` and closed (resume with Last-Event-ID). ' +
      'A comment every 15 s keeps proxies open. One token holds a bounded number of streams at once: one more is answered 429.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The id of the last story event received; one the feed cannot place gets `event: reset`' })
  @ApiExtraModels(StreamReadyDto, StreamStoryChangeDto, StreamResetDto)
  @ApiOkResponse({
    description:
      `Server-Sent Events; each frame's data is one JSON object: \`ready\` ${getSchemaPath(StreamReadyDto)}, ` +
      `\`story\` ${getSchemaPath(StreamStoryChangeDto)}, \`reset\` ${getSchemaPath(StreamResetDto)}`,
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiProblem(400, 'A bad query parameter', ['INVALID_QUERY'])
  // Above ApiAccessProblems, whose own 429 (RATE_LIMITED alone) it replaces for this route.
  @ApiProblem(429, 'The token spent its budget of reads for this window, or already holds its limit of open streams (Retry-After)', [
    'RATE_LIMITED',
    'TOO_MANY_STREAMS',
  ])
  @ApiAccessProblems('reader or auditor')
  @ApiViewsBehindProblem()
  async stream(
    @Query(queryValidation()) query: LiveQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Everything that can still be answered with a problem happens before the stream opens.
    // The guard ran first: a route with @Roles never runs without a principal.
    const holder = request.principal!.name;
    const release = this.quota.acquire(holder);
    if (release === undefined) {
      throw new ProblemException(
        problem(429, 'TOO_MANY_STREAMS', 'Too many open streams', `This token already holds ${this.quota.limit} open streams; close one, or retry later.`, {
          limit: this.quota.limit,
        }),
        { 'retry-after': String(QUOTA_RETRY_AFTER_S) },
      );
    }
    try {
      await this.views.reach(query.minPosition);
    } catch (error) {
      release();
      throw error;
    }
    reply.hijack();
    const raw = reply.raw;
    // The response lets go of its socket once finished: the socket itself is what gets closed.
    const socket = raw.socket;
    if (socket === null || socket.destroyed) {
      release(); // the client left while the views were awaited
      return;
    }
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write(`retry: ${RETRY_MS}\n\n`);
    let open = true;
    const feed = this.feed;
    const client: FeedClient = {
      storyId: query.storyId,
      get queuedBytes() {
        return raw.writableLength;
      },
      write(bytes) {
        if (open) raw.write(bytes);
      },
      end() {
        if (!open) return;
        open = false;
        release();
        feed.disconnect(client);
        // No request ever follows a stream on its connection: it closes once the last bytes
        // are out, or after the grace when the client takes nothing more.
        const grace = setTimeout(() => socket.destroy(), END_GRACE_MS).unref();
        raw.end(() => {
          clearTimeout(grace);
          socket.destroy();
        });
      },
    };
    raw.on('close', () => client.end());
    this.feed.connect(client, lastEventId);
  }
}
