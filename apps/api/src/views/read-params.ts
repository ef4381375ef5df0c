import { isIdentifier } from '@newsroom/domain';
import { ProjectionQueryError } from '@newsroom/projections';
import { problem, ProblemException } from '../errors/problem-details';

/** A story or company id from the path: a slug, else a 400 (never a lookup of garbage). */
export function identifierParam(name: 'storyId' | 'companyId', value: string): string {
  if (isIdentifier(value)) return value;
  throw new ProblemException(
    problem(400, name === 'storyId' ? 'INVALID_STORY_ID' : 'INVALID_COMPANY_ID', `The ${name} is not valid`, `${name} must be a slug: letters, digits, "-", "_", "." (1 to 128).`),
  );
}

export function storyNotFound(storyId: string, detail = `No story ${storyId} has been recorded.`): ProblemException {
  return new ProblemException(problem(404, 'STORY_NOT_FOUND', 'Unknown story', detail, { storyId }));
}

/** A read the views refuse (bad cursor, bad filter) is the caller's 400, under the lib's stable code. */
export function answeringQueryErrors<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ProjectionQueryError) {
      throw new ProblemException(problem(400, error.code, 'The query cannot be answered as asked', error.message));
    }
    throw error;
  }
}
