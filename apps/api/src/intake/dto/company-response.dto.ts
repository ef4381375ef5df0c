import { type CompanyConfirmedData, type CompanyDeniedData, MAX_CLAIM_REFERENCES, MAX_NAME_LENGTH, MAX_STATEMENT_LENGTH } from '@newsroom/domain';
import { LanguageTag, Slug, SlugList, Text, WorldTime } from './field.decorators';

/** What a denial and a confirmation share; class-validator and Swagger both read inherited decorators. */
abstract class CompanyResponseDto {
  @Slug('The company, as named in claims’ `about`')
  readonly companyId!: string;

  @Text("The company's name", MAX_NAME_LENGTH)
  readonly companyName!: string;

  @Text("The company's words, quoted", MAX_STATEMENT_LENGTH, { multiline: true })
  readonly statement!: string;

  @LanguageTag('The language of the statement')
  readonly language!: string;

  @Slug('The report of the story where the response was read', { optional: true })
  readonly reportedIn?: string;
}

export class CompanyDeniedDto extends CompanyResponseDto implements CompanyDeniedData {
  @WorldTime('When the company denied it')
  readonly deniedAt!: string;

  @SlugList('Claim ids the company denies', MAX_CLAIM_REFERENCES)
  readonly refutes!: string[];
}

export class CompanyConfirmedDto extends CompanyResponseDto implements CompanyConfirmedData {
  @WorldTime('When the company confirmed it')
  readonly confirmedAt!: string;

  @SlugList('Claim ids the company confirms', MAX_CLAIM_REFERENCES)
  readonly confirms!: string[];
}
