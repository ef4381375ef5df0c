import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsRFC3339, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CLAIM_STATUSES, IDENTIFIER_PATTERN, MAX_LANGUAGE_TAG_LENGTH } from '@newsroom/domain';
import { MAX_STORY_LIST_LIMIT } from '@newsroom/projections';

const POSITION = /^\d{1,20}$/;
const INTEGER = /^\d{1,10}$/;
const MAX_OUTLET_LENGTH = 200;

/** A filter value in the list's case rule: the list matches without regard to case. */
const lowercased = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value));
/** Plain decimal digits become a number to check its range; anything else stays a string and fails IsInt. */
const decimalInteger = Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value));
const LIMIT_MESSAGE = `$property must be an integer from 1 to ${MAX_STORY_LIST_LIMIT}`;

/** `?minPosition=`: every read accepts it (read-your-writes with a 201's position). */
export class ReadQueryDto {
  @ApiPropertyOptional({ description: 'Wait until the views hold every event up to this commit position (from a 201), bounded', example: '1234' })
  @IsOptional()
  @IsString()
  @Matches(POSITION, { message: '$property must be a commit position: a decimal integer' })
  minPosition?: string;
}

/** A story's state from the views, or (auditor) folded from its own stream up to a time or a revision. */
export class StoryQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ description: 'Auditor: the state from what was recorded at or before this time (folded from the stream)', format: 'date-time' })
  @IsOptional()
  @IsString()
  @IsRFC3339({ message: '$property must be an ISO 8601 date-time with a time zone, e.g. 2025-01-06T06:00:00Z' })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: '$property must be a real calendar date-time' })
  asOf?: string;

  @ApiPropertyOptional({ description: 'Auditor: the state at this stream revision (0 for the first event; folded from the stream)', example: '2' })
  @IsOptional()
  @IsString()
  @Matches(INTEGER, { message: '$property must be a revision: a non-negative integer' })
  atRevision?: string;
}

export class ListStoriesQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ enum: CLAIM_STATUSES, description: 'Stories with at least one claim in this status (case-insensitive)' })
  @IsOptional()
  @lowercased
  @IsIn(CLAIM_STATUSES, { message: `$property must be one of ${CLAIM_STATUSES.join(', ')}` })
  status?: (typeof CLAIM_STATUSES)[number];

  @ApiPropertyOptional({ description: 'Stories about this company (a claim subject) or where it responded (case-insensitive)', example: 'ford' })
  @IsOptional()
  @IsString()
  @Matches(IDENTIFIER_PATTERN, { message: '$property must be a slug: letters, digits, "-", "_", "." (1 to 128)' })
  company?: string;

  @ApiPropertyOptional({ description: 'Stories with a report by this outlet (its name, case-insensitive)', example: 'Financial Times' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_OUTLET_LENGTH)
  outlet?: string;

  @ApiPropertyOptional({ description: 'Stories with a report in this language (BCP 47, case-insensitive)', example: 'id' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_LANGUAGE_TAG_LENGTH)
  @Matches(/^[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8})*$/, { message: '$property must be a BCP 47 language tag, e.g. en or pt-BR' })
  language?: string;

  @ApiPropertyOptional({ description: 'Stories whose last event was recorded at or after this time', format: 'date-time' })
  @IsOptional()
  @IsString()
  @IsRFC3339({ message: '$property must be an ISO 8601 date-time with a time zone, e.g. 2025-01-06T06:00:00Z' })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: '$property must be a real calendar date-time' })
  updatedSince?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(POSITION, { message: '$property must be the nextCursor of a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_STORY_LIST_LIMIT, description: `Page size (default 50)`, example: 50 })
  @IsOptional()
  @decimalInteger
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(MAX_STORY_LIST_LIMIT, { message: LIMIT_MESSAGE })
  limit?: number;
}

export class TimelineQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ enum: ['recorded', 'happened'], description: "recorded: the log's order (default); happened: world time" })
  @IsOptional()
  @IsIn(['recorded', 'happened'], { message: '$property must be recorded or happened' })
  order?: 'recorded' | 'happened';
}
