import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { EventStoreAdapter } from '@newsroom/event-store';
import { Public } from '../auth/access.decorators';
import { problem, ProblemException } from '../errors/problem-details';
import { ViewsService } from '../views/views.service';

/** How long readiness waits for the store before calling it down. */
const STORE_PING_DEADLINE_MS = 2_000;

/**
 * The probes an orchestrator calls, anonymous: liveness (restart the process when it
 * stops answering) and readiness (send it traffic only while the store answers and the
 * views are caught up). The anonymous bodies name no address or internal error.
 */
@ApiTags('health')
@Controller('health')
export class HealthProbesController {
  constructor(
    @Inject(EventStoreAdapter) private readonly store: EventStoreAdapter,
    private readonly views: ViewsService,
  ) {}

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process answers (nothing else is checked)' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @ApiOperation({ summary: 'Readiness: the store answers and the views are caught up with it' })
  @ApiOkResponse({ schema: { example: { status: 'ready', store: 'up', views: 'live' } } })
  @ApiServiceUnavailableResponse({ description: 'Not ready (Problem Details): code STORE_UNAVAILABLE or VIEWS_CATCHING_UP, with Retry-After' })
  async ready(): Promise<{ status: 'ready'; store: 'up'; views: 'live' }> {
    try {
      await this.store.ping(STORE_PING_DEADLINE_MS);
    } catch {
      throw notReady('STORE_UNAVAILABLE', 'The event store is unreachable', 'The event store does not answer.', 'down', this.views.status().state);
    }
    const { caughtUp, state } = this.views.status();
    if (!caughtUp) {
      throw notReady('VIEWS_CATCHING_UP', 'The views are still catching up with the log', `The views are ${state}, not live.`, 'up', state);
    }
    return { status: 'ready', store: 'up', views: 'live' };
  }
}

function notReady(code: string, title: string, detail: string, store: 'up' | 'down', views: string): ProblemException {
  return new ProblemException(problem(503, code, title, detail, { store, views }), { 'retry-after': '1' });
}
