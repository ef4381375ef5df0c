import { Logger } from '@nestjs/common';
import { type RunningApi, startApi } from './bootstrap';
import { parseCorsOrigins } from './cors/cross-origin';
import { parseLogLevel } from './observability/logger';
import { describeRateLimits, rateLimitsFor } from './rate-limit/rate-limit.options';

/**
 * `npm start`: the api on PORT with the embedded store in-process on loopback 2113
 * (data under ./data), or on the EventStoreDB named by EVENTSTORE_CONNECTION_STRING.
 */
async function main(): Promise<void> {
  const logger = new Logger('Main');
  const env = process.env;
  const connectionString = nonEmpty(env.EVENTSTORE_CONNECTION_STRING);
  // Rate limits: NEWSROOM_RATE_LIMIT_WRITES / _READS (rate-limit.options.ts holds the rules and
  // the defaults: none with the development tokens, DEPLOYED_RATE_LIMITS with NEWSROOM_TOKENS).
  const rateLimits = rateLimitsFor(
    { writes: env.NEWSROOM_RATE_LIMIT_WRITES, reads: env.NEWSROOM_RATE_LIMIT_READS },
    nonEmpty(env.NEWSROOM_TOKENS) === undefined,
  );
  const api = await startApi({
    ...(connectionString === undefined ? {} : { connectionString }),
    embeddedStore: {
      port: integer('EMBEDDED_STORE_PORT', env.EMBEDDED_STORE_PORT, 2113),
      host: nonEmpty(env.EMBEDDED_STORE_HOST) ?? '127.0.0.1',
      dataDir: nonEmpty(env.EMBEDDED_STORE_DATA_DIR) ?? 'data',
    },
    tokens: env.NEWSROOM_TOKENS,
    corsOrigins: parseCorsOrigins(env.NEWSROOM_CORS_ORIGINS),
    rateLimits,
    port: integer('PORT', env.PORT, 3000),
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    logLevel: parseLogLevel(env.LOG_LEVEL),
    maxClockSkewMs: seconds('MAX_CLOCK_SKEW_SECONDS', env.MAX_CLOCK_SKEW_SECONDS, 24 * 60 * 60) * 1000,
    requestTimeoutMs: seconds('REQUEST_TIMEOUT_SECONDS', env.REQUEST_TIMEOUT_SECONDS, 30) * 1000,
    views: {
      ...optional('liveFlushMs', count('LIVE_FLUSH_MS', env.LIVE_FLUSH_MS)),
      ...optional('liveWritesPerSecond', count('LIVE_WRITES_PER_SECOND', env.LIVE_WRITES_PER_SECOND)),
      ...optional('liveMaxQueuedBytes', count('LIVE_MAX_QUEUED_BYTES', env.LIVE_MAX_QUEUED_BYTES)),
      ...optional('liveConnectionsPerToken', count('LIVE_CONNECTIONS_PER_TOKEN', env.LIVE_CONNECTIONS_PER_TOKEN)),
    },
  });

  logger.log(`newsroom-ledger api listening on ${api.url} (OpenAPI at ${api.url}/docs)`);
  logger.log(
    connectionString === undefined
      ? `embedded store in-process at ${api.storeConnectionString}, data under ${nonEmpty(env.EMBEDDED_STORE_DATA_DIR) ?? './data'}`
      : `event store: ${redact(connectionString)}`,
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

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(name: string, value: string | undefined, fallback: number): number {
  const text = nonEmpty(value);
  if (text === undefined) return fallback;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new Error(`${name} must be a port number (0 to 65535), got "${text}"`);
  return Number(text);
}

function seconds(name: string, value: string | undefined, fallback: number): number {
  const text = nonEmpty(value);
  if (text === undefined) return fallback;
  if (!/^\d{1,9}$/.test(text)) throw new Error(`${name} must be a whole number of seconds, got "${text}"`);
  return Number(text);
}

/** A positive whole number from the environment, or undefined when unset (the default applies). */
function count(name: string, value: string | undefined): number | undefined {
  const text = nonEmpty(value);
  if (text === undefined) return undefined;
  if (!/^\d{1,12}$/.test(text) || Number(text) === 0) throw new Error(`${name} must be a whole number above 0, got "${text}"`);
  return Number(text);
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

/** A connection string may carry a password (`esdb://user:pass@host`): never print it. */
function redact(connectionString: string): string {
  return connectionString.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

main().catch((error: unknown) => {
  new Logger('Main').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
