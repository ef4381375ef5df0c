import { ApiProperty } from '@nestjs/swagger';

/**
 * The fields every read shape repeats, each one decorator so a response DTO reads like
 * the shape it documents. Documentation only: answers are built by the projections,
 * never validated on the way out.
 */

/** A commit position in `$all`: a decimal string, since a uint64 does not fit a JSON number. */
export function PositionField(description = 'Commit position in $all, as a decimal string'): PropertyDecorator {
  return ApiProperty({ type: String, pattern: '^\\d{1,20}$', description, example: '1234' });
}

/** A story stream revision (0 for the first event). */
export function RevisionField(description = "Revision in the story's stream (0 for the first event)"): PropertyDecorator {
  return ApiProperty({ type: Number, format: 'int64', minimum: 0, description });
}

/** An ISO 8601 date-time; `nullable` where the shape says null until known, `optional` where it is left out. */
export function TimeField(description: string, { nullable = false, optional = false } = {}): PropertyDecorator {
  return ApiProperty({ type: String, format: 'date-time', description, required: !optional, ...(nullable ? { nullable: true } : {}) });
}

/** A text field, optional where the shape leaves it out. */
export function TextField(description: string, { optional = false, nullable = false } = {}): PropertyDecorator {
  return ApiProperty({ type: String, description, required: !optional, ...(nullable ? { nullable: true } : {}) });
}

/** A list of strings (ids, language tags, outlet names). */
export function TextListField(description: string): PropertyDecorator {
  return ApiProperty({ type: [String], description });
}

/** A count: a whole number from 0. */
export function CountField(description: string, { optional = false } = {}): PropertyDecorator {
  return ApiProperty({ type: Number, format: 'int64', minimum: 0, description, required: !optional });
}
