import type { CompanyDenied, ReportPublished, SourceCited, StoryEvent } from '../story/story.events';

/**
 * The story every demo and end-to-end test replays: the Financial Times
 * reported, citing four people familiar with the matter, that Ford and Xiaomi
 * had discussed an electric-vehicle joint venture in the US; an Indonesian
 * follow-up reported that both companies denied it (Ford: the report is
 * "incorrect", "sama sekali tidak benar" in the Indonesian piece; Xiaomi: no
 * such negotiations, and it does not operate in the US market).
 *
 * Facts come from the seed articles; the wording is ours. ILLUSTRATIVE, not
 * facts: every id, every date and time, both headlines (not the outlets' real
 * ones), and the Indonesian outlet's name ("Contoh Berita", Indonesian for
 * "example news"; the seed does not name it). No URLs: we do not invent them.
 *
 * Recording order differs from world order on purpose: the denials happened
 * before the follow-up was published, but are recorded after it because the
 * follow-up is where Xiaomi's was read (`reportedIn` must name a report in the story).
 */
export const SEED_STORY_ID = 'ford-xiaomi-us-ev-talks';

export const SEED_IDS = {
  storyId: SEED_STORY_ID,
  ftReportId: 'ft-ford-xiaomi-ev-jv',
  followUpReportId: 'contoh-berita-ford-xiaomi-bantah',
  claimId: 'ford-xiaomi-us-ev-jv-talks',
  sourceId: 'ft-four-people-familiar',
  companies: { ford: 'ford', xiaomi: 'xiaomi' },
} as const;

const ftReport: ReportPublished = {
  type: 'ReportPublished',
  data: {
    reportId: SEED_IDS.ftReportId,
    outlet: 'Financial Times',
    headline: 'Ford and Xiaomi held talks on a US electric-vehicle joint venture',
    language: 'en',
    publishedAt: '2025-01-06T06:00:00Z',
    claims: [
      {
        claimId: SEED_IDS.claimId,
        statement: 'Ford and Xiaomi have had early discussions about a joint venture to make electric vehicles in the United States.',
        about: [SEED_IDS.companies.ford, SEED_IDS.companies.xiaomi],
      },
    ],
  },
};

const ftSources: SourceCited = {
  type: 'SourceCited',
  data: {
    reportId: SEED_IDS.ftReportId,
    sourceId: SEED_IDS.sourceId,
    kind: 'anonymous',
    description: 'Four people familiar with the matter',
    count: 4,
    supports: [SEED_IDS.claimId],
  },
};

const indonesianFollowUp: ReportPublished = {
  type: 'ReportPublished',
  data: {
    reportId: SEED_IDS.followUpReportId,
    outlet: 'Contoh Berita',
    headline: 'Ford dan Xiaomi membantah kabar usaha patungan mobil listrik di AS',
    language: 'id',
    publishedAt: '2025-01-07T03:00:00Z',
    followsReportId: SEED_IDS.ftReportId,
    claims: [
      {
        claimId: SEED_IDS.claimId,
        statement: 'Ford dan Xiaomi pernah membicarakan usaha patungan untuk memproduksi kendaraan listrik di Amerika Serikat.',
        about: [SEED_IDS.companies.ford, SEED_IDS.companies.xiaomi],
      },
    ],
  },
};

const fordDenial: CompanyDenied = {
  type: 'CompanyDenied',
  data: {
    companyId: SEED_IDS.companies.ford,
    companyName: 'Ford Motor Company',
    // Ford's word as the English coverage quotes it (the Indonesian piece renders it
    // "sama sekali tidak benar"); no reportedIn, as no report of the story is that coverage.
    statement: 'The report is incorrect.',
    language: 'en',
    deniedAt: '2025-01-06T15:00:00Z',
    refutes: [SEED_IDS.claimId],
  },
};

const xiaomiDenial: CompanyDenied = {
  type: 'CompanyDenied',
  data: {
    companyId: SEED_IDS.companies.xiaomi,
    companyName: 'Xiaomi',
    statement: 'Xiaomi tidak sedang bernegosiasi soal usaha patungan itu dan tidak beroperasi di pasar AS.',
    language: 'id',
    deniedAt: '2025-01-06T16:00:00Z',
    refutes: [SEED_IDS.claimId],
    reportedIn: SEED_IDS.followUpReportId,
  },
};

/** The seed story's events in the order to post (and replay) them. */
export const SEED_STORY_EVENTS: readonly StoryEvent[] = [ftReport, ftSources, indonesianFollowUp, fordDenial, xiaomiDenial];
