import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { CompanyReadModel, CompanyStanceReadModel } from '@newsroom/projections';
import { PositionField, RevisionField, TextField, TextListField, TimeField } from '../../openapi/read-fields.decorators';

@ApiSchema({ name: 'CompanyStance', description: 'A denial or confirmation by the company, with the story it was made in' })
export class CompanyStanceDto implements CompanyStanceReadModel {
  @TextField('The story')
  readonly storyId!: string;

  @TextListField('The claims it denies or confirms')
  readonly claimIds!: string[];

  @TextField("The company's words, quoted")
  readonly statement!: string;

  @TextField('BCP 47 language tag of the statement')
  readonly language!: string;

  @TimeField('When the company said it (deniedAt / confirmedAt)')
  readonly at!: string;

  @TextField('The report of the story where the response was read', { optional: true })
  readonly reportedIn?: string;

  @TimeField('When the ledger recorded it')
  readonly recordedAt!: string;

  @RevisionField('Revision of the event in its story')
  readonly revision!: number;

  @PositionField()
  readonly position!: string;
}

@ApiSchema({ name: 'Company', description: "A company's denials and confirmations across stories" })
export class CompanyDto implements CompanyReadModel {
  @TextField('The company')
  readonly companyId!: string;

  @TextField('The name it was last recorded under')
  readonly companyName!: string;

  @ApiProperty({ type: () => CompanyStanceDto, isArray: true, description: 'Across stories, in recording order' })
  readonly denials!: CompanyStanceDto[];

  @ApiProperty({ type: () => CompanyStanceDto, isArray: true, description: 'Across stories, in recording order' })
  readonly confirmations!: CompanyStanceDto[];
}
