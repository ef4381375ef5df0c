import { Controller, Get, Inject, Logger } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventStoreAdapter } from '@newsroom/event-store';
import { Public } from '../auth/access.decorators';
import { STORE_FULL_RETRY_AFTER_SECONDS } from '../errors/problem-details.filter';
import { problem, ProblemException } from '../errors/problem-details';
import { ApiProblem } from '../errors/problem-details.schema';
import { HealthDto } from './health.dto';
import { StoreWriteHealth } from './store-write-health';

/** How long the health check waits for the store before calling it down. */
const STORE_PING_DEADLINE_MS = 2_000;

/**
 * The one anonymous route: it says whether the api can serve and write, and why not, in words
 * that name nothing inside (no address, no store error); those go to the log.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');
  /** The last failure logged, so that a load balancer polling a down store does not flood the log. */
  private lastLogged: string | undefined;

  constructor(
    @Inject(EventStoreAdapter) private readonly store: EventStoreAdapter,
    @Inject(StoreWriteHealth) private readonly writes: StoreWriteHealth,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness, store connectivity and whether writes succeed (no token needed)' })
  @ApiOkResponse({ type: HealthDto })
  @ApiProblem(
    503,
    'STORE_UNAVAILABLE: the event store does not answer; STORE_FULL: writes fail because its disk is full (store.reason, store.since); Retry-After',
    ['STORE_UNAVAILABLE', 'STORE_FULL'],
  )
  async health(): Promise<{ status: 'ok'; store: { status: 'up'; latencyMs: number } }> {
    const started = performance.now();
    try {
      await this.store.ping(STORE_PING_DEADLINE_MS);
    } catch (error) {
      this.logOnce(`the event store does not answer: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      throw new ProblemException(
        problem(503, 'STORE_UNAVAILABLE', 'The event store is unreachable', 'The api cannot reach its event store; the cause is in its log.', {
          store: { status: 'down' },
        }),
        { 'retry-after': '1' },
      );
    }
    const failure = this.writes.writeFailure();
    if (failure !== undefined) {
      this.logOnce(`writes fail since ${failure.since}: the event store's disk is full`);
      throw new ProblemException(
        problem(503, 'STORE_FULL', 'The event store cannot write', 'The event store is out of disk space: posts are refused until space is freed.', {
          store: { status: 'up', writes: 'failing', ...failure },
        }),
        { 'retry-after': STORE_FULL_RETRY_AFTER_SECONDS },
      );
    }
    this.lastLogged = undefined;
    return { status: 'ok', store: { status: 'up', latencyMs: Math.round(performance.now() - started) } };
  }

  private logOnce(message: string): void {
    if (message === this.lastLogged) return;
    this.lastLogged = message;
    this.logger.warn(`/health answers 503: ${message}`);
  }
}
