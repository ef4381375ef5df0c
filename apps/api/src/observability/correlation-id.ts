import type { IncomingHttpHeaders } from 'node:http';

/** An X-Correlation-Id we take as it is: short, and nothing that could break a log line or a header. */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Correlation-Id when it is one we take, else undefined. */
export function correlationIdOf(headers: IncomingHttpHeaders): string | undefined {
  const raw = headers['x-correlation-id'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value !== undefined && CORRELATION_ID.test(value) ? value : undefined;
}
