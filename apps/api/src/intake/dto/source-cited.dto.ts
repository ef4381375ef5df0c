import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  MAX_CLAIM_REFERENCES,
  MAX_DESCRIPTION_LENGTH,
  MAX_SOURCE_COUNT,
  SOURCE_KINDS,
  type SourceCitedData,
  type SourceKind,
} from '@newsroom/domain';
import { Slug, SlugList, Text } from './field.decorators';

export class SourceCitedDto implements SourceCitedData {
  @Slug('The report that cites the source')
  readonly reportId!: string;

  @Slug('The source, unique in the story')
  readonly sourceId!: string;

  @ApiProperty({ enum: SOURCE_KINDS })
  @IsIn(SOURCE_KINDS)
  readonly kind!: SourceKind;

  @Text('How the report describes the source', MAX_DESCRIPTION_LENGTH)
  readonly description!: string;

  @ApiProperty({ type: Number, required: false, minimum: 1, maximum: MAX_SOURCE_COUNT, description: 'People behind the source (default 1)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_SOURCE_COUNT)
  readonly count?: number;

  @SlugList('Claim ids the source supports', MAX_CLAIM_REFERENCES)
  readonly supports!: string[];
}
