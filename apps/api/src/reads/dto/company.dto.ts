import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { CompanyReadModel, CompanyStanceReadModel } from '@newsroom/projections';
import { PositionField, RevisionField, TextField, TimeField } from '../../openapi/read-fields.decorators';
import { ResponseWordsDto } from './story.dto';

@ApiSchema({ name: 'CompanyStance', description: 'A denial or confirmation by the company, with the story it was made in' })
export class CompanyStanceDto extends ResponseWordsDto implements CompanyStanceReadModel {
  @TextField('The story')
  readonly storyId!: string;

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
