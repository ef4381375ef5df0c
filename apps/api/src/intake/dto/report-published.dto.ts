import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsObject, ValidateNested } from 'class-validator';
import {
  MAX_CLAIMS_PER_REPORT,
  MAX_HEADLINE_LENGTH,
  MAX_NAME_LENGTH,
  MAX_STATEMENT_LENGTH,
  MAX_SUBJECTS_PER_CLAIM,
  MAX_URL_LENGTH,
  type ReportedClaim,
  type ReportPublishedData,
} from '@newsroom/domain';
import { LanguageTag, Slug, SlugList, Text, WebAddress, WorldTime } from './field.decorators';

export class ReportedClaimDto implements ReportedClaim {
  @Slug('The claim, the same id wherever a report repeats it')
  readonly claimId!: string;

  @Text("The claim in the report's own language", MAX_STATEMENT_LENGTH, { multiline: true })
  readonly statement!: string;

  @SlugList('Entity ids the claim is about: the companies that may deny or confirm it', MAX_SUBJECTS_PER_CLAIM)
  readonly about!: string[];
}

export class ReportPublishedDto implements ReportPublishedData {
  @Slug('The report, unique in the story')
  readonly reportId!: string;

  @Text("The outlet's name", MAX_NAME_LENGTH)
  readonly outlet!: string;

  @Text('The headline', MAX_HEADLINE_LENGTH)
  readonly headline!: string;

  @WebAddress('Where the report can be read', MAX_URL_LENGTH, { optional: true })
  readonly url?: string;

  @LanguageTag("The report's language")
  readonly language!: string;

  @WorldTime('When the outlet published it')
  readonly publishedAt!: string;

  @ApiProperty({ type: [ReportedClaimDto], maxItems: MAX_CLAIMS_PER_REPORT })
  @IsArray()
  @ArrayMaxSize(MAX_CLAIMS_PER_REPORT)
  // Without it class-validator lets an empty inner array (`claims: [[]]`) through ValidateNested.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  readonly claims!: ReportedClaimDto[];

  @Slug('The report this one follows up or translates', { optional: true })
  readonly followsReportId?: string;
}
