import { Logger } from '@nestjs/common';
import { type Environment, readEnvironmentOrExit, redactConnectionString } from '@newsroom/config';
import { type RunningApi, startApi } from './bootstrap';
import { describeRateLimits, rateLimitsFor } from './rate-limit/rate-limit.options';

/**
 * `npm start`: the api on PORT with the embedded store in-process on loopback 2113
 * (data under ./data), or on the EventStoreDB named by EVENTSTORE_CONNECTION_STRING.
 */
async function main(config: Environment<'api'>): Promise<void> {
  const logger = new Logger('Main');
  const connectionString = config.EVENTSTORE_CONNECTION_STRING;
  // Rate limits: rate-limit.options.ts holds the defaults (none with the development
  // tokens, DEPLOYED_RATE_LIMITS with NEWSROOM_TOKENS); the schema has checked the specs.
  const rateLimits = rateLimitsFor(
    { writes: config.NEWSROOM_RATE_LIMIT_WRITES, reads: config.NEWSROOM_RATE_LIMIT_READS },
    config.NEWSROOM_TOKENS === undefined,
  );
  const api = await startApi({
    ...(connectionString === undefined ? {} : { connectionString }),
    embeddedStore: { port: config.EMBEDDED_STORE_PORT, host: config.EMBEDDED_STORE_HOST, dataDir: config.EMBEDDED_STORE_DATA_DIR },
    tokens: config.NEWSROOM_TOKENS,
    corsOrigins: config.NEWSROOM_CORS_ORIGINS,
    rateLimits,
    port: config.PORT,
    host: config.HOST,
    logLevel: config.LOG_LEVEL,
    maxClockSkewMs: config.MAX_CLOCK_SKEW_SECONDS * 1000,
    requestTimeoutMs: config.REQUEST_TIMEOUT_SECONDS * 1000,
    views: {
      liveFlushMs: config.LIVE_FLUSH_MS,
      liveWritesPerSecond: config.LIVE_WRITES_PER_SECOND,
      liveMaxQueuedBytes: config.LIVE_MAX_QUEUED_BYTES,
      liveConnectionsPerToken: config.LIVE_CONNECTIONS_PER_TOKEN,
    },
  });

  logger.log(`newsroom-ledger api listening on ${api.url} (OpenAPI at ${api.url}/docs)`);
  logger.log(
    connectionString === undefined
      ? `embedded store in-process at ${api.storeConnectionString}, data under ${config.EMBEDDED_STORE_DATA_DIR}`
      : `event store: ${redactConnectionString(connectionString)}`,
  );
  logger.log(`rate limits per token: ${describeRateLimits(rateLimits)}`);
  if (api.tokens.development) {
    logger.warn('NEWSROOM_TOKENS is unset: using the DEVELOPMENT tokens below. Never run like this outside a development machine.');
    for (const { token, roles } of api.tokens.entries) logger.warn(`  Authorization: Bearer ${token}   (${roles.join('+')})`);
  }
  stopOnSignals(api, logger);
}

function stopOnSignals(api: RunningApi, logger: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    logger.log(`${signal}: finishing requests in flight, then closing the store`);
    api.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main(readEnvironmentOrExit('api')).catch((error: unknown) => {
  new Logger('Main').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
