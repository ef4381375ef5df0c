import type { IsoDateTime } from '@newsroom/domain';
import { advanceWatermark, initialWatermark, isApplied, type ViewEvent, type Watermark } from './view-event';

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

interface StanceRecord {
  readonly storyId: string;
  readonly claimIds: readonly string[];
  readonly statement: string;
  readonly language: string;
  readonly at: IsoDateTime;
  readonly reportedIn: string | undefined;
  readonly recordedAt: IsoDateTime;
  readonly revision: bigint;
  readonly position: bigint;
}

interface CompanyRecord {
  readonly companyId: string;
  companyName: string;
  readonly denials: StanceRecord[];
  readonly confirmations: StanceRecord[];
}

/** Each company's denials and confirmations across stories, keyed by companyId. */
export interface CompanyView {
  readonly applied: Watermark;
  readonly companies: Map<string, CompanyRecord>;
}

export function createCompanyView(): CompanyView {
  return { applied: initialWatermark(), companies: new Map() };
}

export function evolveCompanies(view: CompanyView, event: ViewEvent): CompanyView {
  if (isApplied(view.applied, event)) return view;
  if (event.type === 'CompanyDenied' || event.type === 'CompanyConfirmed') {
    const { data } = event;
    let company = view.companies.get(data.companyId);
    if (!company) {
      company = { companyId: data.companyId, companyName: data.companyName, denials: [], confirmations: [] };
      view.companies.set(data.companyId, company);
    }
    company.companyName = data.companyName;
    // The strings are the event's own: held once, shared with the other views.
    const stance: StanceRecord = {
      storyId: event.storyId,
      claimIds: event.type === 'CompanyDenied' ? event.data.refutes : event.data.confirms,
      statement: data.statement,
      language: data.language,
      at: event.type === 'CompanyDenied' ? event.data.deniedAt : event.data.confirmedAt,
      reportedIn: data.reportedIn,
      recordedAt: event.metadata.recordedAt,
      revision: event.revision,
      position: event.position,
    };
    (event.type === 'CompanyDenied' ? company.denials : company.confirmations).push(stance);
  }
  advanceWatermark(view.applied, event);
  return view;
}

function toStanceReadModel(stance: StanceRecord): CompanyStanceReadModel {
  return {
    storyId: stance.storyId,
    claimIds: stance.claimIds,
    statement: stance.statement,
    language: stance.language,
    at: stance.at,
    ...(stance.reportedIn !== undefined && { reportedIn: stance.reportedIn }),
    recordedAt: stance.recordedAt,
    revision: Number(stance.revision),
    position: stance.position.toString(),
  };
}

export function toCompanyReadModel(company: CompanyRecord): CompanyReadModel {
  return {
    companyId: company.companyId,
    companyName: company.companyName,
    denials: company.denials.map(toStanceReadModel),
    confirmations: company.confirmations.map(toStanceReadModel),
  };
}

/** Undefined for a company that never denied or confirmed anything. */
export function getCompany(view: CompanyView, companyId: string): CompanyReadModel | undefined {
  const company = view.companies.get(companyId);
  return company && toCompanyReadModel(company);
}
