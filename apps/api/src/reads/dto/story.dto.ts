import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { CLAIM_STATUSES, type ClaimStatus, type Stance } from '@newsroom/domain';
import type {
  ClaimReadModel,
  ClaimResponseReadModel,
  CompanyResponseReadModel,
  ReportReadModel,
  ReportStatus,
  SourceCounts,
  StoryCompanyReadModel,
  StoryReadModel,
  SubjectStanceReadModel,
} from '@newsroom/projections';
import { CountField, PositionField, RevisionField, TextField, TextListField, TimeField } from '../../openapi/read-fields.decorators';

// The story read shape of libs/projections (story-state.projection.ts), documented. Each class
// implements the projection's type, so a field the projection drops or retypes breaks the build.

const REPORT_STATUSES: readonly ReportStatus[] = Object.keys({ published: 0, corrected: 0, retracted: 0 } satisfies Record<ReportStatus, 0>) as ReportStatus[];
const STANCES: readonly Stance[] = Object.keys({ denied: 0, confirmed: 0 } satisfies Record<Stance, 0>) as Stance[];

@ApiSchema({ name: 'ReportCorrection' })
export class ReportCorrectionDto {
  @TextField("The outlet's correction notice")
  readonly correction!: string;

  @TimeField('When the outlet corrected the report')
  readonly correctedAt!: string;
}

@ApiSchema({ name: 'ReportRetraction' })
export class ReportRetractionDto {
  @TextField('Why the outlet retracted the report')
  readonly reason!: string;

  @TimeField('When the outlet retracted it')
  readonly retractedAt!: string;
}

@ApiSchema({ name: 'Report' })
export class ReportDto implements ReportReadModel {
  @TextField('The report, unique in the story')
  readonly reportId!: string;

  @TextField("The outlet's name")
  readonly outlet!: string;

  @TextField('BCP 47 language tag of the report')
  readonly language!: string;

  @ApiProperty({ enum: REPORT_STATUSES, enumName: 'ReportStatus', description: 'Retraction wins over corrections' })
  readonly status!: ReportStatus;

  @TextField('The headline, in the report’s language')
  readonly headline!: string;

  @ApiProperty({ type: String, format: 'uri', required: false })
  readonly url?: string;

  @TimeField('When the outlet published it')
  readonly publishedAt!: string;

  @TextField('The report this one follows up or translates', { optional: true })
  readonly followsReportId?: string;

  @ApiProperty({ type: () => ReportCorrectionDto, isArray: true, description: 'In recording order' })
  readonly corrections!: ReportCorrectionDto[];

  @ApiProperty({ type: () => ReportRetractionDto, required: false })
  readonly retraction?: ReportRetractionDto;
}

@ApiSchema({ name: 'SourceCounts', description: 'People behind the sources supporting a claim, by kind of source' })
export class SourceCountsDto implements SourceCounts {
  @CountField('Anonymous people')
  readonly anonymous!: number;

  @CountField('Named people')
  readonly named!: number;

  @CountField('Documents')
  readonly document!: number;

  @CountField('Statements')
  readonly statement!: number;
}

@ApiSchema({ name: 'ClaimResponse', description: 'A denial or confirmation as a claim lists it' })
export class ClaimResponseDto implements ClaimResponseReadModel {
  @TextField('The company')
  readonly companyId!: string;

  @TextField("The company's words, quoted")
  readonly statement!: string;

  @TimeField('When the company said it')
  readonly at!: string;
}

@ApiSchema({ name: 'ClaimWording', description: 'The claim as one report carries it, in that report’s language' })
export class ClaimWordingDto {
  @TextField('The report')
  readonly reportId!: string;

  @TextField('BCP 47 language tag of the wording')
  readonly language!: string;

  @TextField('The claim in that language')
  readonly statement!: string;
}

/** One subject's current stance on a claim: its latest response by world time. */
@ApiSchema({ name: 'SubjectStance' })
export class SubjectStanceDto implements SubjectStanceReadModel {
  @TextField("The company (an entity id of the claim's `about`)")
  readonly companyId!: string;

  @ApiProperty({ enum: ['denied', 'confirmed', 'none'], description: 'Its latest response by world time; none when it has not responded' })
  readonly stance!: Stance | 'none';

  @TimeField('When it said it; null for none', { nullable: true })
  readonly at!: string | null;
}

@ApiSchema({ name: 'Claim' })
export class ClaimDto implements ClaimReadModel {
  @TextField('The claim, the same id wherever a report repeats it')
  readonly claimId!: string;

  @TextField('The claim as the report that introduced it states it')
  readonly statement!: string;

  @TextListField('Entity ids the claim is about: the companies that may deny or confirm it')
  readonly about!: string[];

  @ApiProperty({ enum: CLAIM_STATUSES, enumName: 'ClaimStatus', description: "Derived from the subjects' current stances and the reports' retractions" })
  readonly status!: ClaimStatus;

  @ApiProperty({ type: () => SourceCountsDto })
  readonly sources!: SourceCountsDto;

  @ApiProperty({ type: () => ClaimResponseDto, isArray: true, description: 'In recording order' })
  readonly denials!: ClaimResponseDto[];

  @ApiProperty({ type: () => ClaimResponseDto, isArray: true, description: 'In recording order' })
  readonly confirmations!: ClaimResponseDto[];

  @ApiProperty({ type: () => SubjectStanceDto, isArray: true, description: 'Each subject of `about` with its current stance: why the claim has its status' })
  readonly stances!: SubjectStanceDto[];

  @TextField('BCP 47 language tag of `statement`')
  readonly language!: string;

  @ApiProperty({ type: () => ClaimWordingDto, isArray: true, description: 'One wording per carrying report, the first report’s first' })
  readonly statements!: ClaimWordingDto[];

  @TextListField('The reports that carry the claim')
  readonly reportIds!: string[];
}

/** What a company said, and where: a response as the story and the company view both list it. */
export abstract class ResponseWordsDto {
  @TextField("The company's words, quoted")
  readonly statement!: string;

  @TextField('BCP 47 language tag of the statement')
  readonly language!: string;

  @TimeField('When the company said it (deniedAt / confirmedAt)')
  readonly at!: string;

  @TextListField('The claims it denies or confirms')
  readonly claimIds!: string[];

  @TextField('The report of the story where the response was read', { optional: true })
  readonly reportedIn?: string;
}

@ApiSchema({ name: 'StoryCompanyResponse', description: 'A denial or confirmation as the story lists it under its company' })
export class CompanyResponseDto extends ResponseWordsDto implements CompanyResponseReadModel {
  @ApiProperty({ enum: STANCES, enumName: 'Stance' })
  readonly stance!: Stance;
}

@ApiSchema({ name: 'StoryCompany', description: 'A company that responded in the story' })
export class StoryCompanyDto implements StoryCompanyReadModel {
  @TextField('The company')
  readonly companyId!: string;

  @TextField('The name it was last recorded under')
  readonly companyName!: string;

  @ApiProperty({ type: () => CompanyResponseDto, isArray: true, description: 'In recording order' })
  readonly responses!: CompanyResponseDto[];
}

@ApiSchema({ name: 'Story', description: 'A story as the desk knows it: from the views, or folded from its stream as of a time or revision' })
export class StoryDto implements StoryReadModel {
  @TextField('The story')
  readonly storyId!: string;

  @RevisionField('Revision of the story’s last event')
  readonly revision!: number;

  @PositionField('Commit position of the story’s last event')
  readonly position!: string;

  @TextListField('BCP 47 tags of its reports, in the order they appeared')
  readonly languages!: string[];

  @ApiProperty({ type: () => ReportDto, isArray: true, description: 'In recording order' })
  readonly reports!: ReportDto[];

  @ApiProperty({ type: () => ClaimDto, isArray: true, description: 'In the order they were first reported' })
  readonly claims!: ClaimDto[];

  @TextField("The first report's headline")
  readonly headline!: string;

  @ApiProperty({ type: () => StoryCompanyDto, isArray: true, description: 'Each company that responded, in the order it first did' })
  readonly companies!: StoryCompanyDto[];

  @TimeField('When the ledger recorded the story’s first event')
  readonly firstRecordedAt!: string;

  @TimeField('When the ledger recorded its last event')
  readonly lastRecordedAt!: string;

  @TimeField('The earliest world time of its events', { nullable: true })
  readonly firstHappenedAt!: string | null;

  @TimeField('The latest world time of its events', { nullable: true })
  readonly lastHappenedAt!: string | null;
}
