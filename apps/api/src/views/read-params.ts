import { isIdentifier } from '@newsroom/domain';
import { ProjectionQueryError } from '@newsroom/projections';
import { problem, ProblemException } from '../errors/problem-details';

/** A story or company id from the path: a slug, else a 400 (never a lookup of garbage). */
export function identifierParam(name: 'storyId' | 'companyId', value: string): string {
  if (isIdentifier(value)) return value;
  throw new ProblemException(
    problem(
      400,
      name === 'storyId' ? 'INVALID_STORY_ID' : 'INVALID_COMPANY_ID',
      `The ${name} is not valid`,
      `${name} must be a slug: letters, digits, "-", "_", "." (1 to 128).`,
    ),
  );
}

export function storyNotFound(storyId: string, detail = `No story ${storyId} has been recorded.`): ProblemException {
  return new ProblemException(problem(404, 'STORY_NOT_FOUND', 'Unknown story', detail, { storyId }));
}

/** One problem with one query parameter. */
export interface QueryParameterError {
  readonly parameter: string;
  readonly detail: string;
}

/** Cap on the errors listed in one answer. */
const MAX_LISTED_ERRORS = 20;

/**
 * Every problem with a read's query string (an unknown or repeated parameter, a malformed
 * or out-of-range value) is one kind for a caller: 400 INVALID_QUERY, each listed by name.
 */
export function invalidQuery(errors: readonly QueryParameterError[]): ProblemException {
  return new ProblemException(
    problem(400, 'INVALID_QUERY', 'The query parameters are not valid', errors[0]?.detail ?? 'Invalid query.', {
      errors: errors.slice(0, MAX_LISTED_ERRORS),
    }),
  );
}

/** A read the views refuse (bad cursor, bad filter) is the caller's INVALID_QUERY, naming the parameter. */
export function answeringQueryErrors<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ProjectionQueryError) throw invalidQuery([{ parameter: error.parameter, detail: error.message }]);
    throw error;
  }
}
