import type { IsoDateTime } from '@newsroom/domain';
import type { NewsroomViews } from './newsroom.views';
import type { ResponseRecord } from './story-record.fold';

/** One denial or confirmation by the company, with the story it was made in. */
export interface CompanyStanceReadModel {
  readonly storyId: string;
  readonly claimIds: readonly string[];
  readonly statement: string;
  readonly language: string;
  /** When the company said it (`deniedAt` / `confirmedAt`). */
  readonly at: IsoDateTime;
  readonly reportedIn?: string;
  readonly recordedAt: IsoDateTime;
  readonly revision: number;
  readonly position: string;
}

export interface CompanyReadModel {
  readonly companyId: string;
  /** The name it was last recorded under. */
  readonly companyName: string;
  /** Across stories, in recording order. */
  readonly denials: readonly CompanyStanceReadModel[];
  readonly confirmations: readonly CompanyStanceReadModel[];
}

interface CompanyRecord {
  readonly companyId: string;
  companyName: string;
  /** Its denials and confirmations across stories, in recording order (the stories' own records). */
  readonly responses: ResponseRecord[];
}

/** Each company that responded, keyed by companyId. */
export type CompanyIndex = Map<string, CompanyRecord>;

export function createCompanyIndex(): CompanyIndex {
  return new Map();
}

/** The fold recorded a response: the company lists it. */
export function indexResponse(index: CompanyIndex, response: ResponseRecord): void {
  let company = index.get(response.companyId);
  if (!company) {
    company = { companyId: response.companyId, companyName: response.companyName, responses: [] };
    index.set(response.companyId, company);
  }
  company.companyName = response.companyName;
  company.responses.push(response);
}

function toStanceReadModel(response: ResponseRecord): CompanyStanceReadModel {
  return {
    storyId: response.storyId,
    claimIds: [...response.claimIds],
    statement: response.statement,
    language: response.language,
    at: response.at,
    ...(response.reportedIn !== undefined && { reportedIn: response.reportedIn }),
    recordedAt: response.recordedAt,
    revision: response.revision,
    position: response.position.toString(),
  };
}

export function toCompanyReadModel(company: CompanyRecord): CompanyReadModel {
  return {
    companyId: company.companyId,
    companyName: company.companyName,
    denials: company.responses.filter((r) => r.stance === 'denied').map(toStanceReadModel),
    confirmations: company.responses.filter((r) => r.stance === 'confirmed').map(toStanceReadModel),
  };
}

/** Undefined for a company that never denied or confirmed anything. */
export function getCompany(views: NewsroomViews, companyId: string): CompanyReadModel | undefined {
  const company = views.companies.get(companyId);
  return company && toCompanyReadModel(company);
}
