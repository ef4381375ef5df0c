import { z } from 'zod';
import {
  accessTokenList,
  logLevel,
  rateLimitSpec,
  bearerToken,
  connectionString,
  corsOriginList,
  host,
  httpUrl,
  MAX_TIMER_SECONDS,
  path,
  port,
  variable,
  wholeNumber,
  wholeSeconds,
} from './setting.schemas';

/**
 * Every environment variable a program of ours reads, with its default (none: unset).
 * The README's table of variables is checked against this object by a test.
 */
export const environmentSchema = z.object({
  PORT: variable(port.default(3000)),
  HOST: variable(host.default('127.0.0.1')),
  EVENTSTORE_CONNECTION_STRING: variable(connectionString.optional()),
  EMBEDDED_STORE_PORT: variable(port.default(2113)),
  EMBEDDED_STORE_HOST: variable(host.default('127.0.0.1')),
  EMBEDDED_STORE_DATA_DIR: variable(path.default('./data')),
  NEWSROOM_TOKENS: variable(accessTokenList.optional()),
  NEWSROOM_CORS_ORIGINS: variable(corsOriginList.default([])),
  /** Up to a year: a skew any larger would accept any world time at all. */
  MAX_CLOCK_SKEW_SECONDS: variable(wholeSeconds(366 * 24 * 60 * 60).default(24 * 60 * 60)),
  /** 0: no timeout. A timer of the api's waits it out. */
  REQUEST_TIMEOUT_SECONDS: variable(wholeSeconds(MAX_TIMER_SECONDS).default(30)),
  LIVE_FLUSH_MS: variable(wholeNumber(2 ** 31 - 1, 'milliseconds').default(5)),
  LIVE_WRITES_PER_SECOND: variable(wholeNumber(Number.MAX_SAFE_INTEGER).default(20_000)),
  LIVE_MAX_QUEUED_BYTES: variable(wholeNumber(Number.MAX_SAFE_INTEGER, 'bytes').default(1024 * 1024)),
  LIVE_CONNECTIONS_PER_TOKEN: variable(wholeNumber(Number.MAX_SAFE_INTEGER).default(1_000)),
  LOG_LEVEL: variable(logLevel.default('info')),
  /** Unset: the api's default, which depends on NEWSROOM_TOKENS. */
  NEWSROOM_RATE_LIMIT_WRITES: variable(rateLimitSpec.optional()),
  NEWSROOM_RATE_LIMIT_READS: variable(rateLimitSpec.optional()),
  NEWSROOM_API_URL: variable(httpUrl.default('http://localhost:3000')),
  NEWSROOM_TOKEN: variable(bearerToken.optional()),
});

export type Variable = keyof typeof environmentSchema.shape;

/** What each program reads: a program never refuses to start over a variable it does not use. */
export const PROGRAM_ENVIRONMENTS = {
  /** `npm start`. */
  api: environmentSchema.pick({
    PORT: true,
    HOST: true,
    EVENTSTORE_CONNECTION_STRING: true,
    EMBEDDED_STORE_PORT: true,
    EMBEDDED_STORE_HOST: true,
    EMBEDDED_STORE_DATA_DIR: true,
    NEWSROOM_TOKENS: true,
    NEWSROOM_CORS_ORIGINS: true,
    MAX_CLOCK_SKEW_SECONDS: true,
    REQUEST_TIMEOUT_SECONDS: true,
    LIVE_FLUSH_MS: true,
    LIVE_WRITES_PER_SECOND: true,
    LIVE_MAX_QUEUED_BYTES: true,
    LIVE_CONNECTIONS_PER_TOKEN: true,
    LOG_LEVEL: true,
    NEWSROOM_RATE_LIMIT_WRITES: true,
    NEWSROOM_RATE_LIMIT_READS: true,
  }),
  /** `npm run store`: the variables are the defaults of its flags. */
  store: environmentSchema.pick({ EMBEDDED_STORE_PORT: true, EMBEDDED_STORE_HOST: true, EMBEDDED_STORE_DATA_DIR: true }),
  /** `npm run replay`. */
  replay: environmentSchema.pick({ EVENTSTORE_CONNECTION_STRING: true, EMBEDDED_STORE_PORT: true, EMBEDDED_STORE_HOST: true, NEWSROOM_TOKEN: true }),
  /** `npm run demo`. */
  demo: environmentSchema.pick({ NEWSROOM_API_URL: true, NEWSROOM_TOKEN: true }),
};

export type Program = keyof typeof PROGRAM_ENVIRONMENTS;

/** The typed settings of one program, as read from its environment. */
export type Environment<P extends Program> = z.output<(typeof PROGRAM_ENVIRONMENTS)[P]>;

/** A connection string may carry a password (`esdb://user:pass@host`): never print it. */
export function redactConnectionString(connectionString: string): string {
  return connectionString.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** How a refused value is shown in the message: secrets never, a connection string without its password. */
export const SHOWN_VALUE: Readonly<Record<Variable, (value: string) => string | undefined>> = {
  PORT: shown,
  HOST: shown,
  EVENTSTORE_CONNECTION_STRING: (value) => shown(redactConnectionString(value)),
  EMBEDDED_STORE_PORT: shown,
  EMBEDDED_STORE_HOST: shown,
  EMBEDDED_STORE_DATA_DIR: shown,
  NEWSROOM_TOKENS: () => undefined,
  NEWSROOM_CORS_ORIGINS: shown,
  MAX_CLOCK_SKEW_SECONDS: shown,
  REQUEST_TIMEOUT_SECONDS: shown,
  LIVE_FLUSH_MS: shown,
  LIVE_WRITES_PER_SECOND: shown,
  LIVE_MAX_QUEUED_BYTES: shown,
  LIVE_CONNECTIONS_PER_TOKEN: shown,
  LOG_LEVEL: shown,
  NEWSROOM_RATE_LIMIT_WRITES: shown,
  NEWSROOM_RATE_LIMIT_READS: shown,
  NEWSROOM_API_URL: shown,
  NEWSROOM_TOKEN: () => undefined,
};

function shown(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}
