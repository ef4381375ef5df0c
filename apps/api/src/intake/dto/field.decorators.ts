import { applyDecorators } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsISO8601,
  IsLocale,
  IsOptional,
  IsRFC3339,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IDENTIFIER_PATTERN, MAX_IDENTIFIER_LENGTH, MAX_LANGUAGE_TAG_LENGTH } from '@newsroom/domain';

/**
 * The field shapes every event DTO shares, each one decorator so a DTO reads like
 * the catalogue. Limits come from the domain's constants, never from here.
 */

function documented(options: ApiPropertyOptions, optional: boolean): PropertyDecorator[] {
  return optional ? [IsOptional(), ApiProperty({ ...options, required: false } as ApiPropertyOptions)] : [ApiProperty(options)];
}

/** An identifier slug (DESIGN: letters, digits, `-`, `_`, `.`; at most 128). */
export function Slug(description: string, { optional = false } = {}): PropertyDecorator {
  return applyDecorators(
    ...documented({ type: String, description, pattern: IDENTIFIER_PATTERN.source, maxLength: MAX_IDENTIFIER_LENGTH, example: 'ford' }, optional),
    IsString(),
    Matches(IDENTIFIER_PATTERN, { message: '$property must be a slug: letters, digits, "-", "_", "." (1 to 128)' }),
  );
}

/** A list of slugs, e.g. claim ids or entity ids. Emptiness is the domain's rule to judge. */
export function SlugList(description: string, maxItems: number): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: [String], description, maxItems }),
    IsArray(),
    ArrayMaxSize(maxItems),
    IsString({ each: true }),
    Matches(IDENTIFIER_PATTERN, { each: true, message: 'each of $property must be a slug: letters, digits, "-", "_", "." (1 to 128)' }),
  );
}

/** Free text with a length limit; never empty. */
export function Text(description: string, maxLength: number, { optional = false } = {}): PropertyDecorator {
  return applyDecorators(
    ...documented({ type: String, description, minLength: 1, maxLength }, optional),
    IsString(),
    MinLength(1),
    MaxLength(maxLength),
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

/** A BCP 47 language tag (`en`, `id`, `zh-Hant-TW`): subtags joined by hyphens only. */
export function LanguageTag(description: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: String, description, maxLength: MAX_LANGUAGE_TAG_LENGTH, example: 'en' }),
    IsString(),
    MaxLength(MAX_LANGUAGE_TAG_LENGTH),
    // validator's isLocale follows RFC 5646 but also lets `en_US` through; BCP 47 has no underscores.
    Matches(/^[A-Za-z0-9-]+$/, { message: '$property must be a BCP 47 language tag, e.g. en or pt-BR' }),
    IsLocale({ message: '$property must be a BCP 47 language tag, e.g. en or pt-BR' }),
  );
}
