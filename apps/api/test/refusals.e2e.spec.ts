// Posts the api must refuse before any rule runs: bad shape (400), too large (413), not
// JSON (415). Each answer is Problem Details and nothing reaches the log.
import { MAX_EVENTS_PER_POST, MAX_HEADLINE_LENGTH } from '@newsroom/domain';
import { SEED_STORY_EVENTS } from '@newsroom/domain';
import { expectProblem, freshStoryId, markLog, postEvents, startNewsroom, type Answer, type LogMark, type Newsroom } from './support/api.harness';

jest.setTimeout(30_000);

let newsroom: Newsroom;
let before: LogMark;
beforeAll(async () => {
  newsroom = await startNewsroom();
  before = await markLog(newsroom.client);
});
afterAll(async () => {
  await newsroom?.stop();
});
afterEach(async () => {
  // Whatever was refused, the log is as it was.
  expect(await markLog(newsroom.client)).toEqual(before);
});

const ftReport = SEED_STORY_EVENTS[0] as (typeof SEED_STORY_EVENTS)[number] & { type: 'ReportPublished' };
const withData = (changes: Record<string, unknown>) => ({ type: ftReport.type, data: { ...ftReport.data, ...changes } });
const withoutField = (field: string) => {
  const data: Record<string, unknown> = { ...ftReport.data };
  delete data[field];
  return { type: ftReport.type, data };
};

/** The validation errors a 400 carries name what was wrong; at least the field must appear. */
function expectValidationErrors(answer: Answer, mention: string): void {
  expectProblem(answer, 400);
  expect(Array.isArray(answer.body.errors)).toBe(true);
  expect(answer.body.errors.length).toBeGreaterThan(0);
  expect(JSON.stringify(answer.body.errors)).toContain(mention);
}

describe('when the report is posted with a bad shape, then 400 names the problem', () => {
  it.each([
    ['a missing headline', withoutField('headline'), 'headline'],
    ['a missing publishedAt', withoutField('publishedAt'), 'publishedAt'],
    ['a headline that is a number', withData({ headline: 42 }), 'headline'],
    ['claims that are a string', withData({ claims: 'Ford and Xiaomi talked' }), 'claims'],
    ['a field the catalogue does not know', withData({ sentiment: 'negative' }), 'sentiment'],
    ['a publishedAt that is no date', withData({ publishedAt: 'last Tuesday' }), 'publishedAt'],
    ['a publishedAt with month 13', withData({ publishedAt: '2025-13-01T10:00:00Z' }), 'publishedAt'],
    ['a language that is no BCP 47 tag', withData({ language: 'english!' }), 'language'],
    ['a reportId that is no slug', withData({ reportId: 'ft report/1' }), 'reportId'],
    ['a reportId of 129 characters', withData({ reportId: 'r'.repeat(129) }), 'reportId'],
    ['a headline over the limit', withData({ headline: 'h'.repeat(MAX_HEADLINE_LENGTH + 1) }), 'headline'],
    ['a claim with an extra field', withData({ claims: [{ ...ftReport.data.claims[0], confidence: 0.9 }] }), 'confidence'],
  ])('%s', async (_case, body, mention) => {
    expectValidationErrors(await postEvents(newsroom, freshStoryId('bad-shape'), body), mention);
  });

  it('an unknown event type', async () => {
    expectValidationErrors(await postEvents(newsroom, freshStoryId('bad-type'), { type: 'RumourHeard', data: ftReport.data }), 'type');
  });

  it('an envelope with a field besides type and data', async () => {
    expectProblem(await postEvents(newsroom, freshStoryId('bad-envelope'), { ...ftReport, recordedBy: 'someone-else' }), 400);
  });

  it('an empty array', async () => {
    expectProblem(await postEvents(newsroom, freshStoryId('empty'), []), 400);
  });

  it(`an array of more than ${MAX_EVENTS_PER_POST} events`, async () => {
    const events = Array.from({ length: MAX_EVENTS_PER_POST + 1 }, (_, i) => ({
      type: 'SourceCited',
      data: { ...SEED_STORY_EVENTS[1].data, sourceId: `s-${i}` },
    }));
    const answer = await postEvents(newsroom, freshStoryId('too-many'), [ftReport, ...events]);
    expectProblem(answer, 400);
  });

  it('a storyId in the path that is no slug', async () => {
    expectProblem(await postEvents(newsroom, 'ford xiaomi!', ftReport), 400);
  });

  it('a storyId in the path of 129 characters, one over the limit', async () => {
    expectProblem(await postEvents(newsroom, 's'.repeat(129), ftReport), 400);
  });

  it('invalid JSON', async () => {
    expectProblem(await postEvents(newsroom, freshStoryId('bad-json'), '{"type": "ReportPublished", "data": {'), 400);
  });

  it('a JSON body that is not an object or array', async () => {
    expectProblem(await postEvents(newsroom, freshStoryId('scalar'), '"ReportPublished"'), 400);
  });
});

/** Twenty reports of fifty long claims each, padded so the JSON body is `bytes` long. */
function bulkyStory(bytes: number) {
  const reports = (statementLength: number) =>
    Array.from({ length: 20 }, (_, r) => ({
      type: 'ReportPublished',
      data: {
        ...ftReport.data,
        reportId: `bulky-${r}`,
        claims: Array.from({ length: 50 }, (_, c) => ({ claimId: `claim-${r}-${c}`, statement: 's'.repeat(statementLength), about: ['ford'] })),
      },
    }));
  const overhead = JSON.stringify(reports(0)).length;
  const statementLength = Math.floor((bytes - overhead) / 1_000);
  return reports(statementLength);
}

describe('near the size limit', () => {
  it('when a post just under the body limit is more than the store takes in one append, then 413 and nothing is written', async () => {
    const body = bulkyStory(1024 * 1024 - 2_000);
    expect(JSON.stringify(body).length).toBeLessThanOrEqual(1024 * 1024);

    const answer = await postEvents(newsroom, freshStoryId('bulky'), body);

    expectProblem(answer, 413);
  });
});

describe('when the body is too large, then 413', () => {
  it('a 5 MB headline', async () => {
    expectProblem(await postEvents(newsroom, freshStoryId('huge'), withData({ headline: 'x'.repeat(5 * 1024 * 1024) })), 413);
  });
});

describe('when the body is not JSON, then 415', () => {
  it.each([
    ['text/plain', 'text/plain'],
    ['application/xml', 'application/xml'],
    ['form data', 'application/x-www-form-urlencoded'],
  ])('%s', async (_case, contentType) => {
    expectProblem(await postEvents(newsroom, freshStoryId('not-json'), JSON.stringify(ftReport), { contentType }), 415);
  });

  it('no Content-Type at all', async () => {
    expectProblem(await postEvents(newsroom, freshStoryId('no-type'), JSON.stringify(ftReport), { contentType: null }), 415);
  });
});
