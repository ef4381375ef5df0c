import { createHash } from 'node:crypto';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { digestViews, type ViewsDigest } from '@newsroom/projections';
import { Roles } from '../auth/access.decorators';
import { ApiAccessProblems, ApiProblem } from '../errors/problem-details.schema';
import { ReadQueryDto } from '../reads/dto/read-query.dto';
import { queryValidation } from '../reads/query-validation.pipe';
import type { RunnerStatus } from '../views/projection.runner';
import { ViewsService } from '../views/views.service';
import { ProjectionsStatusDto } from './dto/projections-status.dto';

export interface ProjectionsAnswer extends ViewsDigest {
  readonly caughtUp: boolean;
  readonly state: RunnerStatus['state'];
  readonly lag: { readonly storyHead: string | null; readonly positions: string | null };
  readonly runner: RunnerStatus;
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin')
export class AdminController {
  constructor(private readonly views: ViewsService) {}

  @Get('projections')
  @Roles('auditor')
  @ApiOperation({
    summary: "The live views' position and digest",
    description:
      'position and digest come from one synchronous pass over the views, so the digest is of the views at exactly that position: ' +
      '`npm run replay -- --verify` replays $all up to it and compares. lag.positions is the newest story event in $all minus ' +
      'the views position, in commit-position units (0 when caught up; null when the store is unreachable). ' +
      'With ?minPosition= the answer waits until the views reach it.',
  })
  @ApiOkResponse({ type: ProjectionsStatusDto })
  @ApiAccessProblems('auditor')
  @ApiProblem(400, 'A bad query parameter', ['INVALID_QUERY', 'INVALID_MIN_POSITION'])
  @ApiProblem(503, 'The views have not reached ?minPosition= within the bound (Retry-After)', ['VIEWS_BEHIND'])
  async projections(@Query(queryValidation()) query: ReadQueryDto): Promise<ProjectionsAnswer> {
    // Only an explicit minPosition waits: this route also reports a catch-up in progress.
    if (query.minPosition !== undefined) await this.views.reach(query.minPosition);
    // Node's SHA-256 gives the same digest as the lib's default, several times faster.
    const digest = digestViews(this.views.views, () => createHash('sha256'));
    const runner = this.views.status();
    const lag = await this.views.lag(BigInt(digest.position));
    return { ...digest, caughtUp: runner.caughtUp, state: runner.state, lag, runner };
  }
}
