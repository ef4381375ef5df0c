import { type ArgumentMetadata, type ValidationError, ValidationPipe } from '@nestjs/common';
import { invalidQuery, type QueryParameterError } from '../views/read-params';

/**
 * Names every object has (`constructor`, `toString`, `__proto__`, ...). No query DTO
 * declares one, so each is an unknown parameter; they are refused before class-validator
 * sees them, whose whitelist looks names up in a plain object and finds these there.
 */
function isBuiltInMemberName(name: string): boolean {
  return name in Object.prototype;
}

/** class-validator's constraint for a property no DTO declares. */
const UNKNOWN_PROPERTY = 'whitelistValidation';

function unknownParameter(parameter: string): QueryParameterError {
  return { parameter, detail: `${parameter} is not a parameter of this request` };
}

function toQueryErrors(failures: ValidationError[]): QueryParameterError[] {
  return failures.flatMap((failure) => {
    const constraints = failure.constraints ?? { invalid: `${failure.property} is invalid` };
    if (UNKNOWN_PROPERTY in constraints) return [unknownParameter(failure.property)];
    return Object.values(constraints).map((detail) => ({ parameter: failure.property, detail }));
  });
}

/**
 * Query strings are validated by their DTOs. Every problem with them (an unknown
 * parameter, a repeated one: it arrives as an array, a malformed or out-of-range
 * value) is one 400 INVALID_QUERY listing each as `{parameter, detail}`.
 */
class QueryValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      exceptionFactory: (failures: ValidationError[]) => invalidQuery(toQueryErrors(failures)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (value === null || typeof value !== 'object') return super.transform(value, metadata);
    const names = Object.keys(value);
    const builtIn = names.filter(isBuiltInMemberName);
    if (builtIn.length > 0) throw invalidQuery(builtIn.map(unknownParameter));
    const query = (await super.transform(value, metadata)) as object;
    // class-transformer silently leaves out some names (`prototype`, ones shadowing the DTO's
    // members) before the whitelist looks: whatever was sent and not taken is unknown too.
    const dropped = names.filter((name) => !Object.prototype.hasOwnProperty.call(query, name));
    if (dropped.length > 0) throw invalidQuery(dropped.map(unknownParameter));
    return query;
  }
}

export function queryValidation(): ValidationPipe {
  return new QueryValidationPipe();
}
