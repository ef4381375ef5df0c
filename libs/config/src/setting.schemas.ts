import { z } from 'zod';
import { ACCESS_TOKEN_LIST_ACCEPTS, parseAccessTokenList } from './access-token.list';
import { CORS_ORIGIN_LIST_ACCEPTS, parseCorsOriginList } from './cors-origin.list';

/**
 * The kinds of value a variable holds. Each issue's message says what the variable
 * accepts, so that the line printed at start reads `NAME must be <message>`.
 */

/** A variable set to blanks counts as unset (an empty `PORT=` in a compose file), and surrounding spaces are dropped. */
export function variable<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (typeof value === 'string' ? (value.trim() === '' ? undefined : value.trim()) : value), schema);
}

export const PORT_ACCEPTS = 'a port number (0 to 65535)';
export const port = z
  .string()
  .regex(/^\d{1,5}$/, { error: PORT_ACCEPTS })
  .transform(Number)
  .refine((value) => value <= 65535, { error: PORT_ACCEPTS });

/** Where to listen or connect: an address (`0.0.0.0` in a container, `::`) or a host name. */
export const host = z.union([z.ipv4(), z.ipv6(), z.hostname()], {
  error: 'an IP address or a host name (127.0.0.1, 0.0.0.0, ::, localhost)',
});

export const path = z.string();

/** A real EventStoreDB's address, as its clients take it. */
export const connectionString = z
  .string()
  .regex(/^esdb(\+discover)?:\/\/\S+$/, { error: 'an EventStoreDB connection string (esdb://host:2113?tls=false, esdb+discover://…)' });

export const httpUrl = z.url({ protocol: /^https?$/, error: 'an http(s) URL (http://localhost:3000)' }).transform((url) => url.replace(/\/+$/, ''));

export const bearerToken = z.string().regex(/^\S+$/, { error: 'a bearer token (no spaces)' });

/** NEWSROOM_TOKENS is checked here and handed on as written: the api digests its tokens. */
export const accessTokenList = z.string().superRefine((spec, context) => {
  const parsed = parseAccessTokenList(spec);
  if ('problem' in parsed) context.addIssue({ code: 'custom', message: `${ACCESS_TOKEN_LIST_ACCEPTS}; ${parsed.problem}` });
});

export const corsOriginList = z.string().transform((spec, context) => {
  const parsed = parseCorsOriginList(spec);
  if ('problem' in parsed) {
    context.addIssue({ code: 'custom', message: `${CORS_ORIGIN_LIST_ACCEPTS}; ${parsed.problem}` });
    return z.NEVER;
  }
  return parsed.origins;
});

/** A whole number of seconds from 0 up to `max`. */
export function wholeSeconds(max: number) {
  const what = `a whole number of seconds (0 to ${max})`;
  return z
    .string()
    .regex(/^\d{1,15}$/, { error: what })
    .transform(Number)
    .refine((value) => value <= max, { error: what });
}

/** The longest timer Node keeps (2^31 - 1 ms): past it, setTimeout fires after 1 ms instead. */
export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** A whole number from 1 up to `max`. */
export function wholeNumber(max: number, unit = '') {
  const what = `a whole number${unit === '' ? '' : ` of ${unit}`} (1 to ${max})`;
  return z
    .string()
    .regex(/^\d{1,16}$/, { error: what })
    .transform(Number)
    .refine((value) => value >= 1 && value <= max, { error: what });
}

/** LOG_LEVEL's values: pino's levels, and silent. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** One of LOG_LEVELS, in any case. */
export const logLevel = z
  .string()
  .transform((text) => text.toLowerCase())
  .pipe(z.enum(LOG_LEVELS, { error: `one of ${LOG_LEVELS.join(', ')}` }));

/**
 * A rate limit's budget, checked here and handed on as written (the api's rate-limit.options.ts
 * turns it into a budget): `N` (a minute), `N/s`, `N/m`, `N/h`, `N/10s`, N at least 1; or `off`.
 */
export const rateLimitSpec = z.string().refine(
  (text) => {
    if (text.toLowerCase() === 'off') return true;
    const match = /^(\d{1,9})(?:\s*\/\s*(\d{1,6})?\s*([smh]))?$/.exec(text);
    return match !== null && Number(match[1]) >= 1 && Number(match[2] ?? 1) >= 1;
  },
  { error: 'requests per token and window: N (per minute), N/s, N/m, N/h or N/10s, N at least 1; or off' },
);
