import { type ValidationError, ValidationPipe } from '@nestjs/common';
import { problem, ProblemException } from '../errors/problem-details';

/** Cap on the errors listed in one answer. */
const MAX_LISTED_ERRORS = 20;

/**
 * Query strings are validated by their DTOs: unknown parameters, repeated ones
 * (they arrive as arrays) and bad values are a 400 Problem Details listing each.
 */
export function queryValidation(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    exceptionFactory: (failures: ValidationError[]) => {
      const errors = failures.flatMap((failure) =>
        Object.values(failure.constraints ?? { invalid: `${failure.property} is invalid` }).map((detail) => ({ parameter: failure.property, detail })),
      );
      return new ProblemException(
        problem(400, 'INVALID_QUERY', 'The query parameters are not valid', errors[0]?.detail ?? 'Invalid query.', {
          errors: errors.slice(0, MAX_LISTED_ERRORS),
        }),
      );
    },
  });
}
