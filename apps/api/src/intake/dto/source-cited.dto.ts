import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { MAX_CLAIM_REFERENCES, MAX_DESCRIPTION_LENGTH, MAX_SOURCE_COUNT, SOURCE_KINDS, type SourceCitedData, type SourceKind } from '@newsroom/domain';
import { Count, Slug, SlugList, Text } from './field.decorators';

export class SourceCitedDto implements SourceCitedData {
  @Slug('The report that cites the source')
  readonly reportId!: string;

  @Slug('The source, unique in the story')
  readonly sourceId!: string;

  @ApiProperty({ enum: SOURCE_KINDS })
  @IsIn(SOURCE_KINDS)
  readonly kind!: SourceKind;

  @Text('How the report describes the source', MAX_DESCRIPTION_LENGTH, { multiline: true })
  readonly description!: string;

  @Count('People behind the source (default 1)', 1, MAX_SOURCE_COUNT, { optional: true })
  readonly count?: number;

  @SlugList('Claim ids the source supports', MAX_CLAIM_REFERENCES)
  readonly supports!: string[];
}
