import type { LogLevel } from '@nestjs/common';
import pino, { type DestinationStream, type Level, type Logger } from 'pino';

/** LOG_LEVEL's values: pino's levels, and silent. */
export const LOG_LEVELS: readonly (Level | 'silent')[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
export type ApiLogLevel = (typeof LOG_LEVELS)[number];

/**
 * Where a bearer token could reach a log line (a header logged whole, an error that
 * carries the request): replaced before the line is written.
 */
const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'request.headers.authorization',
  'err.config.headers.authorization',
];

export interface LoggerOptions {
  readonly level: ApiLogLevel;
  /** Where the lines go; default stdout, human-readable when it is a terminal. */
  readonly destination?: DestinationStream;
}

/**
 * The api's one logger: Fastify writes through it (with each request's id) and Nest's
 * logger is an adapter over it (PinoNestLogger). JSON lines, one object each; errors under
 * `err` with their `cause` chain.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.errWithCause },
    },
    options.destination ?? stdoutDestination(),
  );
}

/**
 * stdout; on a terminal through pino-pretty, loaded only then (machines read JSON). Written
 * asynchronously (what arrives during a write goes out with the next one): a synchronous
 * write to a pipe whose reader is slow would block the event loop, every request with it,
 * until the reader caught up. pino flushes what is left when the process exits.
 */
function stdoutDestination(): DestinationStream {
  if (!process.stdout.isTTY) return pino.destination({ dest: 1, sync: false });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pretty = require('pino-pretty') as typeof import('pino-pretty');
  return pretty.build({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}

/** LOG_LEVEL's value, or a message naming what it accepts. */
export function parseLogLevel(text: string | undefined, fallback: ApiLogLevel = 'info'): ApiLogLevel {
  const value = text?.trim().toLowerCase();
  if (value === undefined || value === '') return fallback;
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${text!.trim().slice(0, 32)}"`);
  }
  return value as ApiLogLevel;
}

/** The pino level of Nest's list of levels (ApiOptions.logger): the most verbose one it names. */
export function levelOfNestLevels(levels: false | readonly LogLevel[]): ApiLogLevel {
  if (levels === false || levels.length === 0) return 'silent';
  const order: readonly [LogLevel, ApiLogLevel][] = [
    ['verbose', 'trace'],
    ['debug', 'debug'],
    ['log', 'info'],
    ['warn', 'warn'],
    ['error', 'error'],
    ['fatal', 'fatal'],
  ];
  return order.find(([nest]) => levels.includes(nest))?.[1] ?? 'silent';
}
