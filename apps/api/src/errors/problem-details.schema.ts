import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, ApiSchema, getSchemaPath, type HeadersObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails } from './problem-details';

@ApiSchema({ name: 'FieldError', description: 'One field of a posted body that failed its check' })
export class FieldErrorDto {
  @ApiProperty({ description: 'JSON Pointer (RFC 6901) into the posted body, e.g. /data/claims/0/about', example: '/data/headline' })
  readonly pointer!: string;

  @ApiProperty()
  readonly detail!: string;
}

@ApiSchema({ name: 'QueryError', description: 'One query parameter that failed its check' })
export class QueryErrorDto {
  @ApiProperty({ example: 'limit' })
  readonly parameter!: string;

  @ApiProperty()
  readonly detail!: string;
}

@ApiSchema({ name: 'ProblemState', description: 'The store as /health saw it when it answered 503' })
class ProblemStoreStateDto {
  @ApiProperty({ enum: ['down'] })
  readonly status!: 'down';
}

/**
 * RFC 9457 Problem Details, the one body of every error. Tools branch on `code`;
 * the other extensions are listed where a code carries them.
 */
@ApiSchema({ name: 'ProblemDetails', description: 'RFC 9457 Problem Details: every error the api answers, as application/problem+json' })
@ApiExtraModels(FieldErrorDto, QueryErrorDto)
export class ProblemDetailsDto implements ProblemDetails {
  [extension: string]: unknown;

  @ApiProperty({ description: 'urn:newsroom-ledger:problem:<code in kebab case>', example: 'urn:newsroom-ledger:problem:story-not-found' })
  readonly type!: string;

  @ApiProperty({ example: 'Unknown story' })
  readonly title!: string;

  @ApiProperty({ type: Number, format: 'int32', minimum: 400, maximum: 599, description: 'The HTTP status, repeated' })
  readonly status!: number;

  @ApiProperty({ pattern: '^[A-Z][A-Z0-9_]*$', description: 'The stable code: what tools branch on', example: 'STORY_NOT_FOUND' })
  readonly code!: string;

  @ApiProperty({ required: false, description: 'What went wrong, for a person' })
  readonly detail?: string;

  @ApiProperty({ required: false, description: 'The request path' })
  readonly instance?: string;

  @ApiProperty({
    required: false,
    type: 'array',
    items: { oneOf: [{ $ref: getSchemaPath(FieldErrorDto) }, { $ref: getSchemaPath(QueryErrorDto) }] },
    description: 'VALIDATION_FAILED: each field (pointer); INVALID_QUERY: each query parameter (parameter)',
  })
  readonly errors?: readonly (FieldErrorDto | QueryErrorDto)[];

  @ApiProperty({ required: false, type: [String], description: 'FORBIDDEN: the roles the route needs (any one of them)' })
  readonly requiredRoles?: readonly string[];

  @ApiProperty({ required: false, description: 'STORY_NOT_FOUND (reads): the story asked for' })
  readonly storyId?: string;

  @ApiProperty({ required: false, description: 'COMPANY_NOT_FOUND: the company asked for' })
  readonly companyId?: string;

  @ApiProperty({ required: false, type: Object, additionalProperties: true, description: 'A broken rule (409): what the rule found' })
  readonly details?: Readonly<Record<string, unknown>>;

  @ApiProperty({ required: false, type: Number, format: 'int32', minimum: 0, description: 'A broken rule (409): the index of the refused event in the post' })
  readonly eventIndex?: number;

  @ApiProperty({ required: false, description: 'REVISION_MISMATCH: the revision If-Match named, as a decimal string, or *', example: '4' })
  readonly expectedRevision?: string;

  @ApiProperty({ required: false, description: 'REVISION_MISMATCH: the story’s revision as a decimal string, or no_stream', example: '5' })
  readonly currentRevision?: string;

  @ApiProperty({ required: false, description: 'VIEWS_BEHIND: the position waited for' })
  readonly minPosition?: string;

  @ApiProperty({ required: false, description: 'VIEWS_BEHIND, VIEWS_CATCHING_UP: the views’ position' })
  readonly viewsPosition?: string;

  @ApiProperty({ required: false, enum: ['writes', 'reads'], description: 'RATE_LIMITED: the budget spent (writes: every method but GET and HEAD)' })
  readonly budget?: 'writes' | 'reads';

  @ApiProperty({ required: false, type: Number, format: 'int32', minimum: 1, description: 'RATE_LIMITED: requests the budget allows per window' })
  readonly limit?: number;

  @ApiProperty({ required: false, type: Number, minimum: 0, description: 'RATE_LIMITED: the window, in seconds' })
  readonly windowSeconds?: number;

  @ApiProperty({ required: false, type: Number, format: 'int64', minimum: 0, description: 'VIEWS_BEHIND: how long the read waited' })
  readonly waitedMs?: number;

  @ApiProperty({ required: false, description: 'IDEMPOTENCY_KEY_REUSED: the key sent' })
  readonly idempotencyKey?: string;

  @ApiProperty({ required: false, type: () => ProblemStoreStateDto, description: 'STORE_UNAVAILABLE from /health' })
  readonly store?: ProblemStoreStateDto;
}

/** The headers that come with every answer of a status (sendProblem, and the throwers of 503). */
const PROBLEM_HEADERS: Readonly<Record<number, HeadersObject>> = {
  401: { 'WWW-Authenticate': { description: 'The scheme to authenticate with', schema: { type: 'string', example: 'Bearer realm="newsroom-ledger"' } } },
  429: {
    'Retry-After': { description: 'Seconds until the token’s budget is renewed', schema: { type: 'string', example: '42' } },
    'RateLimit-Limit': { description: 'The budget of the window (writes or reads)', schema: { type: 'string', example: '600' } },
    'RateLimit-Remaining': { description: 'What is left of it: 0', schema: { type: 'string', example: '0' } },
    'RateLimit-Reset': { description: 'Seconds until the window ends', schema: { type: 'string', example: '42' } },
  },
  503: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'string', example: '1' } } },
};

/**
 * Documents an error answer: Problem Details as application/problem+json, with the codes
 * this status can carry on this route.
 */
export function ApiProblem(status: number, description: string, codes: readonly string[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ApiResponse({
      status,
      description: `${description} (code ${codes.join(', ')})`,
      ...(PROBLEM_HEADERS[status] === undefined ? {} : { headers: PROBLEM_HEADERS[status] }),
      content: {
        [PROBLEM_CONTENT_TYPE]: {
          schema: { allOf: [{ $ref: getSchemaPath(ProblemDetailsDto) }], properties: { code: { type: 'string', enum: [...codes] } } },
        },
      },
    }),
  );
}

/** 401 without a valid token, 403 without one of the route's roles, 429 past the token's budget. */
export function ApiAccessProblems(roles: string): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiProblem(401, 'No valid bearer token (WWW-Authenticate: Bearer)', ['UNAUTHENTICATED']),
    ApiProblem(403, `The token lacks the role ${roles}`, ['FORBIDDEN']),
    ApiRateLimitProblem(),
  );
}

/** Every route that takes a token counts it against the token's writes or reads (when limits are set). */
export function ApiRateLimitProblem(): MethodDecorator & ClassDecorator {
  return ApiProblem(429, 'The token spent its budget of writes (posts) or reads for this window; nothing was done (Retry-After)', ['RATE_LIMITED']);
}

/** What every read from the views may answer while the views are not there yet. */
export function ApiViewsBehindProblem(): MethodDecorator & ClassDecorator {
  return ApiProblem(503, 'The views have not reached ?minPosition=, or are still catching up after a start, within the bound (Retry-After)', [
    'VIEWS_BEHIND',
    'VIEWS_CATCHING_UP',
  ]);
}
