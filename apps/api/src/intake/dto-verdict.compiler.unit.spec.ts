import { IsDefined } from 'class-validator';
import fc from 'fast-check';
import { SEED_STORY_EVENTS, type StoryEventType } from '@newsroom/domain';
import { compileVerdict } from './dto-verdict.compiler';
import { classValidatorAccepts, EVENT_DTOS } from './posted-events.validator';

const seedData = (type: StoryEventType) => SEED_STORY_EVENTS.find((event) => event.type === type)!.data as unknown as Record<string, unknown>;

/** One valid body per event type: the seed story's, and the three it does not use. */
const VALID: Record<StoryEventType, Record<string, unknown>> = {
  ReportPublished: { ...seedData('ReportPublished'), url: 'https://example.com/ft/ford-xiaomi', followsReportId: 'ft-earlier' },
  SourceCited: seedData('SourceCited'),
  CompanyDenied: { ...seedData('CompanyDenied'), reportedIn: 'ft-ford-xiaomi-ev-jv' },
  CompanyConfirmed: {
    companyId: 'xiaomi',
    companyName: 'Xiaomi',
    statement: 'We confirm early talks.',
    language: 'zh-Hans-CN',
    confirmedAt: '2025-01-08T10:00:00.250+08:00',
    confirms: ['ford-xiaomi-us-ev-jv-talks'],
  },
  ReportCorrected: { reportId: 'ft-ford-xiaomi-ev-jv', correction: 'An earlier version misnamed the venue.', correctedAt: '2025-01-06T09:00:00Z' },
  ReportRetracted: { reportId: 'ft-ford-xiaomi-ev-jv', reason: 'The sources withdrew.', retractedAt: '2025-01-09T09:00:00Z' },
};

const TYPES = Object.keys(VALID) as StoryEventType[];

/** Values near and across every rule's edge, plus anything at all. */
const value = fc.oneof(
  fc.constantFrom(
    '',
    'ford',
    'not a slug',
    'x'.repeat(128),
    'x'.repeat(129),
    'en',
    'en_US',
    'pt-BR',
    'x-',
    '2025-01-06T06:00:00Z',
    '2025-02-30T06:00:00Z',
    '2025-01-06T06:00:00',
    '2025-01-06',
    'http://example.com',
    'ftp://example.com',
    'anonymous',
    'rumour',
    0,
    1,
    4,
    1000,
    1001,
    1.5,
    -1,
    null,
    true,
    [],
    [[]],
    [{}],
    ['ford'],
    ['ford', 'x y'],
    {},
    { claimId: 'c' },
    // The edges of the input rules: dots-only ids, blank or control-laden text, lone surrogates, registry tags, counts as strings.
    '.',
    '..',
    ['..'],
    ' ',
    '\u00a0',
    'a\u0000b',
    'a\u001bb',
    'line\nbreak',
    'tab\there',
    'half \ud800',
    'EN',
    'zh-hant-tw',
    'zz',
    'english',
    'en-UK',
    '2',
    '1000',
  ),
  fc.string(),
  fc.anything(),
  fc.array(fc.oneof(fc.string(), fc.constantFrom('ford', 'ok.id', ''))),
  fc.array(
    fc.record({ claimId: fc.constantFrom('c1', 'bad id'), statement: fc.string(), about: fc.array(fc.constantFrom('ford', 'x y')) }, { requiredKeys: [] }),
  ),
);

const mutation = fc.record({
  type: fc.constantFrom(...TYPES),
  edits: fc.array(
    fc.record({
      field: fc.oneof(
        fc.constantFrom('reportId', 'claims', 'count', 'kind', 'language', 'url', 'supports', 'about', 'statement', 'deniedAt', 'confirms'),
        fc.string(),
      ),
      action: fc.constantFrom('set', 'delete', 'setInClaim'),
      value,
    }),
    { maxLength: 3 },
  ),
});

describe('the compiled verdict', () => {
  it('accepts every valid body', () => {
    for (const type of TYPES) expect(compileVerdict(EVENT_DTOS[type].dto, EVENT_DTOS[type].nested)(VALID[type])).toBe(true);
  });

  it('gives class-validator’s verdict on thousands of mutated bodies', () => {
    const verdicts = Object.fromEntries(TYPES.map((type) => [type, compileVerdict(EVENT_DTOS[type].dto, EVENT_DTOS[type].nested)]));
    let refused = 0;
    fc.assert(
      fc.property(mutation, ({ type, edits }) => {
        const data: Record<string, unknown> = structuredClone(VALID[type]);
        for (const edit of edits) {
          if (edit.action === 'delete') delete data[edit.field];
          else if (edit.action === 'set') data[edit.field] = edit.value;
          else if (Array.isArray(data.claims) && isObject(data.claims[0])) data.claims[0][edit.field] = edit.value;
        }
        const reference = classValidatorAccepts(type, structuredClone(data));
        if (!reference) refused += 1;
        expect(verdicts[type]!(data)).toBe(reference);
      }),
      { numRuns: 5000, seed: 20260121 },
    );
    // The generator must reach both sides of the rules, or the comparison proves little.
    expect(refused).toBeGreaterThan(1000);
    expect(refused).toBeLessThan(4900);
  });

  it('refuses a decorator kind it cannot reproduce instead of ignoring it', () => {
    class MustBeDefined {
      @IsDefined()
      readonly note!: unknown;
    }
    expect(() => compileVerdict(MustBeDefined)).toThrow(/cannot be compiled/);
    expect(() => compileVerdict(EVENT_DTOS.ReportPublished.dto)).toThrow(/ValidateNested needs its class/);
  });
});

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
