import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventStoreAdapter } from '@newsroom/event-store';
import { Public } from '../auth/access.decorators';
import { problem, ProblemException } from '../errors/problem-details';
import { ApiProblem } from '../errors/problem-details.schema';
import { HealthDto } from './health.dto';

/** How long the health check waits for the store before calling it down. */
const STORE_PING_DEADLINE_MS = 2_000;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(EventStoreAdapter) private readonly store: EventStoreAdapter) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness and store connectivity (no token needed)' })
  @ApiOkResponse({ type: HealthDto })
  @ApiProblem(503, 'The event store does not answer (Retry-After)', ['STORE_UNAVAILABLE'])
  async health(): Promise<{ status: 'ok'; store: { status: 'up'; latencyMs: number } }> {
    const started = performance.now();
    try {
      await this.store.ping(STORE_PING_DEADLINE_MS);
    } catch (error) {
      throw new ProblemException(
        problem(503, 'STORE_UNAVAILABLE', 'The event store is unreachable', error instanceof Error ? error.message : String(error), {
          store: { status: 'down' },
        }),
        { 'retry-after': '1' },
      );
    }
    return { status: 'ok', store: { status: 'up', latencyMs: Math.round(performance.now() - started) } };
  }
}
