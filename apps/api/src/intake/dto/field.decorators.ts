import { applyDecorators } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsISO8601,
  IsRFC3339,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  NotEquals,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { IDENTIFIER_PATTERN, IDENTIFIER_RULE, MAX_IDENTIFIER_LENGTH, MAX_LANGUAGE_TAG_LENGTH } from '@newsroom/domain';
import { canonicalLanguageTag } from '../language-tag';

/**
 * The field shapes every event DTO shares, each one decorator so a DTO reads like
 * the catalogue. Limits come from the domain's constants, never from here.
 */

/**
 * An optional field is left out or given a value: `null` is refused (400 naming the field)
 * for every field alike, where class-validator's `@IsOptional` would let it through to
 * the rules. Listed first so that null is what the answer names, not a type mismatch.
 */
function documented(options: ApiPropertyOptions, optional: boolean): PropertyDecorator[] {
  if (!optional) return [ApiProperty(options)];
  return [
    ValidateIf((_object: object, value: unknown) => value !== undefined),
    NotEquals(null, { message: '$property must be left out or given a value; null is not accepted' }),
    ApiProperty({ ...options, required: false } as ApiPropertyOptions),
  ];
}

/** Any control character (C0, DEL, C1) or a UTF-16 surrogate standing alone (half of a character). */
const SINGLE_LINE = /^[^\p{Cc}\p{Cs}]*$/u;
/** The same, but tab and line breaks are allowed: a quote or a note runs over paragraphs. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const MULTI_LINE = /^[^\p{Cs}\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$/u;
const NOT_BLANK = /\S/u;

/** An identifier slug (DESIGN: letters, digits, `-`, `_`, `.`; at most 128). */
export function Slug(description: string, { optional = false } = {}): PropertyDecorator {
  return applyDecorators(
    ...documented({ type: String, description, pattern: IDENTIFIER_PATTERN.source, maxLength: MAX_IDENTIFIER_LENGTH, example: 'ford' }, optional),
    IsString(),
    Matches(IDENTIFIER_PATTERN, { message: `$property must be ${IDENTIFIER_RULE}` }),
  );
}

/** A list of slugs, e.g. claim ids or entity ids. Emptiness is the domain's rule to judge. */
export function SlugList(description: string, maxItems: number): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: [String], description, maxItems }),
    IsArray(),
    ArrayMaxSize(maxItems),
    IsString({ each: true }),
    Matches(IDENTIFIER_PATTERN, { each: true, message: `each of $property must be ${IDENTIFIER_RULE}` }),
  );
}

/**
 * Free text with a length limit, never blank. No control characters: they are invisible
 * in a dashboard and break terminals and exports; `multiline` text (quotes, notes) may
 * hold tabs and line breaks. No lone surrogates: they cannot be encoded as UTF-8.
 */
export function Text(description: string, maxLength: number, { optional = false, multiline = false } = {}): PropertyDecorator {
  return applyDecorators(
    ...documented({ type: String, description, minLength: 1, maxLength }, optional),
    IsString(),
    MaxLength(maxLength),
    Matches(NOT_BLANK, { message: '$property must not be blank' }),
    Matches(multiline ? MULTI_LINE : SINGLE_LINE, {
      message: multiline
        ? '$property must not hold control characters (tab and line breaks aside) or lone surrogates'
        : '$property must not hold control characters (line breaks and tabs included) or lone surrogates',
    }),
  );
}

/** A web address (http or https). */
export function WebAddress(description: string, maxLength: number, { optional = false } = {}): PropertyDecorator {
  return applyDecorators(
    ...documented({ type: String, format: 'uri', description, maxLength }, optional),
    IsString(),
    MaxLength(maxLength),
    IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: '$property must be an http or https URL' }),
  );
}

/** A whole number within bounds: a string of digits is refused, not read as a number. */
export function Count(description: string, min: number, max: number, { optional = false } = {}): PropertyDecorator {
  return applyDecorators(
    ...documented({ type: Number, description, minimum: min, maximum: max }, optional),
    IsInt({ message: '$property must be an integer (a JSON number, not a string)' }),
    Min(min),
    Max(max),
  );
}

/**
 * When the fact happened in the world: an RFC 3339 date-time (ISO 8601 with a `T`,
 * seconds optional fraction, and a zone), on a real calendar day.
 */
export function WorldTime(description: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: String, format: 'date-time', description, example: '2025-01-06T06:00:00Z' }),
    IsString(),
    IsRFC3339({ message: '$property must be an ISO 8601 date-time with a time zone, e.g. 2025-01-06T06:00:00Z' }),
    IsISO8601({ strict: true, strictSeparator: true }, { message: '$property must be a real calendar date-time' }),
  );
}

/**
 * A BCP 47 language tag made of subtags registered with IANA (`en`, `id`, `zh-Hant-TW`),
 * in any case: the intake stores it in the registry's case (posted-events.validator.ts).
 */
export function LanguageTag(description: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: String,
      description: `${description}: a BCP 47 tag registered with IANA, stored in its conventional case`,
      maxLength: MAX_LANGUAGE_TAG_LENGTH,
      example: 'en',
    }),
    IsString(),
    ValidateBy(
      { name: 'isRegisteredLanguageTag', validator: { validate: (value: unknown) => typeof value === 'string' && canonicalLanguageTag(value) !== undefined } },
      { message: '$property must be a BCP 47 language tag of subtags registered with IANA, e.g. en, id, pt-BR or zh-Hant-TW' },
    ),
  );
}
