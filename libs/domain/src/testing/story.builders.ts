import type {
  CompanyConfirmed,
  CompanyConfirmedData,
  CompanyDenied,
  CompanyDeniedData,
  ReportCorrected,
  ReportPublished,
  ReportPublishedData,
  ReportRetracted,
  SourceCited,
  SourceCitedData,
} from '../story/story.events';

/**
 * Small events for tests: a fictional story (Acme and Globex in merger talks)
 * kept apart from the seed so each test states only what it is about.
 */
export const CLAIM = 'acme-globex-merger-talks';

export function published(overrides: Partial<ReportPublishedData> = {}): ReportPublished {
  return {
    type: 'ReportPublished',
    data: {
      reportId: 'wire-1',
      outlet: 'Example Wire',
      headline: 'Acme and Globex discuss a merger',
      language: 'en',
      publishedAt: '2025-02-01T08:00:00Z',
      claims: [{ claimId: CLAIM, statement: 'Acme and Globex are in merger talks.', about: ['acme', 'globex'] }],
      ...overrides,
    },
  };
}

export function cited(overrides: Partial<SourceCitedData> = {}): SourceCited {
  return {
    type: 'SourceCited',
    data: {
      reportId: 'wire-1',
      sourceId: 'wire-1-insiders',
      kind: 'anonymous',
      description: 'Two people briefed on the talks',
      count: 2,
      supports: [CLAIM],
      ...overrides,
    },
  };
}

export function denied(companyId: string, overrides: Partial<CompanyDeniedData> = {}): CompanyDenied {
  return {
    type: 'CompanyDenied',
    data: {
      companyId,
      companyName: companyId.toUpperCase(),
      statement: 'There are no such talks.',
      language: 'en',
      deniedAt: '2025-02-01T12:00:00Z',
      refutes: [CLAIM],
      ...overrides,
    },
  };
}

export function confirmed(companyId: string, overrides: Partial<CompanyConfirmedData> = {}): CompanyConfirmed {
  return {
    type: 'CompanyConfirmed',
    data: {
      companyId,
      companyName: companyId.toUpperCase(),
      statement: 'We are in talks.',
      language: 'en',
      confirmedAt: '2025-02-01T13:00:00Z',
      confirms: [CLAIM],
      ...overrides,
    },
  };
}

export function corrected(reportId = 'wire-1', correctedAt = '2025-02-02T08:00:00Z'): ReportCorrected {
  return { type: 'ReportCorrected', data: { reportId, correction: 'An earlier version misspelt Globex.', correctedAt } };
}

export function retracted(reportId = 'wire-1', retractedAt = '2025-02-03T08:00:00Z'): ReportRetracted {
  return { type: 'ReportRetracted', data: { reportId, reason: 'The sourcing did not meet our standards.', retractedAt } };
}
