// The story's rules over HTTP: given the Ford–Xiaomi story as recorded so far, when a tool
// posts an event that breaks a rule, then 409 names the rule with its stable code and the
// log is untouched.
import { SEED_IDS, SEED_STORY_EVENTS, type StoryEvent, type StoryRuleCode } from '@newsroom/domain';
import { expectProblem, freshStoryId, markLog, postEvents, useNewsroom } from './support/api.harness';

jest.setTimeout(30_000);

const newsroom = useNewsroom();

const [ftReport, ftSources, followUp, fordDenial] = SEED_STORY_EVENTS as [
  StoryEvent & { type: 'ReportPublished' },
  StoryEvent & { type: 'SourceCited' },
  StoryEvent & { type: 'ReportPublished' },
  StoryEvent & { type: 'CompanyDenied' },
];
const CLAIM = SEED_IDS.claimId;
const FT = SEED_IDS.ftReportId;

const report = (data: Partial<typeof ftReport.data>): StoryEvent => ({
  type: 'ReportPublished',
  data: { ...ftReport.data, reportId: 'ft-second-look', ...data },
});
const source = (data: Partial<typeof ftSources.data>): StoryEvent => ({
  type: 'SourceCited',
  data: { ...ftSources.data, sourceId: 'ft-another-source', ...data },
});
const denial = (data: Partial<typeof fordDenial.data>): StoryEvent => ({ type: 'CompanyDenied', data: { ...fordDenial.data, ...data } });
const confirmation = (companyId: string, confirms: string[]): StoryEvent => ({
  type: 'CompanyConfirmed',
  data: { companyId, companyName: companyId, statement: 'We confirm it.', language: 'en', confirmedAt: '2025-01-08T10:00:00Z', confirms },
});
const retraction = (retractedAt = '2025-01-09T10:00:00Z'): StoryEvent => ({
  type: 'ReportRetracted',
  data: { reportId: FT, reason: 'The sources withdrew.', retractedAt },
});
const correction = (correctedAt = '2025-01-09T10:00:00Z'): StoryEvent => ({
  type: 'ReportCorrected',
  data: { reportId: FT, correction: 'A date was wrong.', correctedAt },
});
// Another report of the story with a claim the FT report does not carry.
const bydReport: StoryEvent = report({
  reportId: 'wire-ford-byd',
  outlet: 'Example Wire',
  claims: [{ claimId: 'ford-byd-talks', statement: 'Ford also talked to BYD.', about: ['ford', 'byd'] }],
});

async function expectRefused(given: readonly StoryEvent[], posted: StoryEvent | StoryEvent[], status: number, code: StoryRuleCode): Promise<void> {
  const storyId = freshStoryId('rules');
  if (given.length > 0) expect((await postEvents(newsroom, storyId, given)).status).toBe(201);
  const before = await markLog(newsroom.client);

  const answer = await postEvents(newsroom, storyId, posted);

  expectProblem(answer, status);
  expect(answer.body.code).toBe(code);
  expect(await markLog(newsroom.client)).toEqual(before);
}

const recorded = SEED_STORY_EVENTS;

describe('reports', () => {
  it.each<[string, readonly StoryEvent[], StoryEvent, StoryRuleCode]>([
    ['the FT report is posted a second time', recorded, ftReport, 'REPORT_ALREADY_EXISTS'],
    ['a follow-up follows a report the story does not have', recorded, report({ followsReportId: 'no-such-report' }), 'FOLLOWED_REPORT_NOT_FOUND'],
    [
      'a follow-up is dated before the report it follows',
      recorded,
      report({ followsReportId: FT, publishedAt: '2025-01-01T00:00:00Z' }),
      'EARLIER_THAN_PUBLICATION',
    ],
    ['a report carries no claim', recorded, report({ claims: [] }), 'REPORT_HAS_NO_CLAIMS'],
    ['a report carries the same claim twice', recorded, report({ claims: [...ftReport.data.claims, ...ftReport.data.claims] }), 'DUPLICATE_CLAIM_IN_REPORT'],
    ['a claim is about no one', recorded, report({ claims: [{ claimId: 'vague', statement: 'Something happened.', about: [] }] }), 'CLAIM_HAS_NO_SUBJECT'],
    [
      'a claim names Ford twice',
      recorded,
      report({ claims: [{ claimId: 'ford-twice', statement: 'Ford and Ford.', about: ['ford', 'ford'] }] }),
      'DUPLICATE_CLAIM_SUBJECT',
    ],
    [
      'a report re-carries the joint-venture claim about Ford alone',
      recorded,
      report({ claims: [{ claimId: CLAIM, statement: 'Ford discussed a joint venture.', about: ['ford'] }] }),
      'CLAIM_SUBJECTS_MISMATCH',
    ],
  ])('given the seed story, when %s, then 409', async (_case, given, posted, code) => {
    await expectRefused(given, posted, 409, code);
  });
});

describe('sources', () => {
  it.each<[string, readonly StoryEvent[], StoryEvent, StoryRuleCode]>([
    ['the four people are cited again under the same source id', recorded, ftSources, 'SOURCE_ALREADY_EXISTS'],
    ['a source is cited for a report the story does not have', recorded, source({ reportId: 'no-such-report' }), 'UNKNOWN_REPORT'],
    ['a source supports a claim no report carries', recorded, source({ supports: ['no-such-claim'] }), 'UNKNOWN_CLAIM'],
    ['a source supports nothing', recorded, source({ supports: [] }), 'NO_CLAIM_REFERENCED'],
    ['a source supports the same claim twice', recorded, source({ supports: [CLAIM, CLAIM] }), 'DUPLICATE_CLAIM_REFERENCE'],
    [
      'the FT is said to support a claim only another report carries',
      [...recorded, bydReport],
      source({ supports: ['ford-byd-talks'] }),
      'CLAIM_NOT_IN_REPORT',
    ],
    ['a source is cited for the retracted FT report', [...recorded, retraction()], source({}), 'REPORT_RETRACTED'],
  ])('given the seed story, when %s, then 409', async (_case, given, posted, code) => {
    await expectRefused(given, posted, 409, code);
  });
});

describe('company responses', () => {
  it.each<[string, readonly StoryEvent[], StoryEvent, StoryRuleCode]>([
    ['BYD denies the Ford–Xiaomi claim', recorded, denial({ companyId: 'byd', companyName: 'BYD' }), 'CLAIM_NOT_ABOUT_COMPANY'],
    ['BYD confirms the Ford–Xiaomi claim', recorded, confirmation('byd', [CLAIM]), 'CLAIM_NOT_ABOUT_COMPANY'],
    ['Ford denies a claim no report carries', recorded, denial({ refutes: ['no-such-claim'] }), 'UNKNOWN_CLAIM'],
    ['Xiaomi confirms a claim no report carries', recorded, confirmation('xiaomi', ['no-such-claim']), 'UNKNOWN_CLAIM'],
    ['Ford denies nothing', recorded, denial({ refutes: [] }), 'NO_CLAIM_REFERENCED'],
    ['Ford denies the claim twice in one statement', recorded, denial({ refutes: [CLAIM, CLAIM] }), 'DUPLICATE_CLAIM_REFERENCE'],
    ['a denial is said to be read in a report the story does not have', recorded, denial({ reportedIn: 'no-such-report' }), 'UNKNOWN_REPORT'],
  ])('given the seed story, when %s, then 409', async (_case, given, posted, code) => {
    await expectRefused(given, posted, 409, code);
  });
});

describe('corrections and retractions', () => {
  it.each<[string, readonly StoryEvent[], StoryEvent, StoryRuleCode]>([
    ['the FT report is corrected after its retraction', [...recorded, retraction()], correction(), 'REPORT_RETRACTED'],
    ['the FT report is retracted twice', [...recorded, retraction()], retraction('2025-01-10T10:00:00Z'), 'REPORT_ALREADY_RETRACTED'],
    ['a correction is dated before the report was published', recorded, correction('2025-01-01T00:00:00Z'), 'EARLIER_THAN_PUBLICATION'],
    ['a retraction is dated before the report was published', recorded, retraction('2025-01-01T00:00:00Z'), 'EARLIER_THAN_PUBLICATION'],
    [
      'a report the story does not have is corrected',
      recorded,
      { type: 'ReportCorrected', data: { ...(correction().data as object), reportId: 'no-such-report' } } as StoryEvent,
      'UNKNOWN_REPORT',
    ],
    [
      'a report the story does not have is retracted',
      recorded,
      { type: 'ReportRetracted', data: { ...(retraction().data as object), reportId: 'no-such-report' } } as StoryEvent,
      'UNKNOWN_REPORT',
    ],
  ])('given the seed story, when %s, then 409', async (_case, given, posted, code) => {
    await expectRefused(given, posted, 409, code);
  });
});

describe('unknown story', () => {
  it.each(SEED_STORY_EVENTS.filter((e) => e.type !== 'ReportPublished').map((e) => [e.type, e] as const))(
    'given no story, when a %s is posted, then 404 STORY_NOT_FOUND',
    async (_type, event) => {
      await expectRefused([], event, 404, 'STORY_NOT_FOUND');
    },
  );

  it('given no story, when the Indonesian follow-up is posted first, then 409: the report it follows is not there', async () => {
    await expectRefused([], followUp, 409, 'FOLLOWED_REPORT_NOT_FOUND');
  });
});

describe('what the rules allow', () => {
  it('given the seed story, when Ford confirms after denying, then it is recorded: a company may change its stance', async () => {
    const storyId = freshStoryId('rules-allowed');
    expect((await postEvents(newsroom, storyId, recorded)).status).toBe(201);
    const answer = await postEvents(newsroom, storyId, confirmation('ford', [CLAIM]));
    expect(answer.status).toBe(201);
    expect(answer.body.revision).toBe(recorded.length);
  });
});
