import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, NotFoundException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isStoryRuleError, type StoryRuleError } from '@newsroom/domain';
import { AppendTooLargeError, ConcurrencyError, StoreFullError, StoreUnavailableError, StreamDeletedError, EventStoreError } from '@newsroom/event-store';
import { RequestValidationError } from '../intake/posted-events.validator';
import { allowedMethods } from './allowed-methods';
import { problem, PROBLEM_CONTENT_TYPE, type ProblemDetails, ProblemException } from './problem-details';

/** A full disk needs someone to free space: a retry sooner would most likely fail again. */
export const STORE_FULL_RETRY_AFTER_SECONDS = '30';

interface Answer {
  readonly body: ProblemDetails;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Codes of the HTTP errors Nest and Fastify raise themselves. */
const HTTP_CODES: Readonly<Record<number, readonly [code: string, title: string]>> = {
  400: ['BAD_REQUEST', 'Bad request'],
  401: ['UNAUTHENTICATED', 'Unauthenticated'],
  403: ['FORBIDDEN', 'Forbidden'],
  404: ['NOT_FOUND', 'Not found'],
  405: ['METHOD_NOT_ALLOWED', 'Method not allowed'],
  406: ['NOT_ACCEPTABLE', 'Not acceptable'],
  408: ['REQUEST_TIMEOUT', 'Request timeout'],
  411: ['LENGTH_REQUIRED', 'Length required'],
  413: ['PAYLOAD_TOO_LARGE', 'Payload too large'],
  414: ['URI_TOO_LONG', 'URI too long'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type'],
  431: ['HEADERS_TOO_LARGE', 'Request header fields too large'],
};

/**
 * Every error the api answers goes through here, Fastify's own (invalid JSON, wrong
 * content type, body too large, unknown route) included: Nest hands those to the
 * global filters as HttpExceptions.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const answer = (isUnroutedNotFound(exception, request) ? methodNotAllowed(request) : undefined) ?? this.answer(exception);
    // A failure is logged with its stack; a 5xx the api answers on purpose (the views still
    // catching up, a store that does not answer) is a state, not a fault, and is not. A full
    // disk is a state too, but an operator must act on it: the store's words go to the log.
    if (exception instanceof StoreFullError) {
      request.log.warn({ route: request.routeOptions.url ?? null }, `${request.method} ${pathOf(request.url)}: 503 STORE_FULL: ${exception.message}`);
    } else if (answer.body.status >= 500 && !(exception instanceof ProblemException) && answer.body.code !== 'STORE_UNAVAILABLE') {
      // The request's own logger: the line carries its request id, the error its cause chain.
      request.log.error({ err: exception, route: request.routeOptions.url ?? null }, `${request.method} ${pathOf(request.url)}: ${describe(exception)}`);
    }
    sendProblem(reply, { ...answer.body, instance: pathOf(request.url) }, answer.headers);
  }

  private answer(exception: unknown): Answer {
    if (exception instanceof ProblemException) return { body: exception.problem, headers: exception.headers };
    if (exception instanceof RequestValidationError) {
      return {
        body: problem(400, 'VALIDATION_FAILED', 'The posted events do not have the expected shape', exception.message, {
          errors: exception.errors,
        }),
      };
    }
    if (isStoryRuleError(exception)) return { body: ruleProblem(exception) };
    if (exception instanceof EventStoreError) return storeProblem(exception);
    if (exception instanceof HttpException) return { body: httpProblem(exception) };
    return { body: problem(500, 'INTERNAL', 'Internal error', 'The server failed; the failure is logged.') };
  }
}

/** Fastify's "no route" (Nest's NotFoundException from its not-found handler), not a 404 of ours. */
function isUnroutedNotFound(exception: unknown, request: FastifyRequest): boolean {
  return request.is404 && exception instanceof NotFoundException;
}

/** A path the api has, asked with a method it does not take there: 405 with the methods it does. */
function methodNotAllowed(request: FastifyRequest): Answer | undefined {
  const allowed = allowedMethods(request);
  if (allowed.length === 0) return undefined;
  return {
    body: problem(405, 'METHOD_NOT_ALLOWED', 'Method not allowed', `${request.method} is not allowed here; allowed: ${allowed.join(', ')}.`, { allowed }),
    headers: { allow: allowed.join(', ') },
  };
}

function ruleProblem(error: StoryRuleError): ProblemDetails {
  const extensions = { details: error.details, eventIndex: error.eventIndex };
  if (error.code === 'STORY_NOT_FOUND') return problem(404, error.code, 'Unknown story', error.message, extensions);
  return problem(409, error.code, 'A rule of the story was broken', error.message, extensions);
}

function storeProblem(error: EventStoreError): Answer {
  if (error instanceof ConcurrencyError) {
    return {
      body: problem(412, 'REVISION_MISMATCH', 'The story is not at the expected revision', error.message, {
        expectedRevision: error.expected,
        currentRevision: error.actual,
      }),
    };
  }
  if (error instanceof StoreUnavailableError) {
    return {
      body: problem(503, 'STORE_UNAVAILABLE', 'The event store is unreachable', 'Nothing was written; retry later.'),
      headers: { 'retry-after': '1' },
    };
  }
  if (error instanceof StoreFullError) {
    return {
      body: problem(
        503,
        'STORE_FULL',
        'The event store is out of disk space',
        'The posted events were not recorded; retry once space is freed (with the same Idempotency-Key a retry is safe).',
      ),
      headers: { 'retry-after': STORE_FULL_RETRY_AFTER_SECONDS },
    };
  }
  if (error instanceof StreamDeletedError) {
    return { body: problem(410, 'STORY_DELETED', 'The story was deleted', 'Its stream was deleted in the event store.') };
  }
  if (error instanceof AppendTooLargeError) {
    return { body: problem(413, 'PAYLOAD_TOO_LARGE', 'Payload too large', 'The events exceed what the store takes in one append.') };
  }
  return { body: problem(500, 'STORE_FAILURE', 'The event store failed', 'Nothing was written; the failure is logged.') };
}

function httpProblem(exception: HttpException): ProblemDetails {
  const status = exception.getStatus();
  const [code, title] = HTTP_CODES[status] ?? (status >= 500 ? ['INTERNAL', 'Internal error'] : ['BAD_REQUEST', 'Bad request']);
  // Client errors say what was wrong (a parser's message, the unknown route); server errors say nothing of the inside.
  const detail = status < 500 ? exception.message : 'The server failed; the failure is logged.';
  if (status === 400 && /JSON/i.test(exception.message)) return problem(400, 'INVALID_JSON', 'The body is not valid JSON', detail);
  if (status === 415) return problem(415, code, title, 'The body must be application/json.');
  return problem(status, code, title, detail);
}

export function sendProblem(reply: FastifyReply, body: ProblemDetails, headers: Readonly<Record<string, string>> = {}): void {
  if (reply.sent) return;
  reply.status(body.status).headers({ ...headers, 'content-type': PROBLEM_CONTENT_TYPE });
  if (body.status === 401) reply.header('www-authenticate', 'Bearer realm="newsroom-ledger"');
  void reply.send(JSON.stringify(body));
}

export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function describe(exception: unknown): string {
  return exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception);
}
