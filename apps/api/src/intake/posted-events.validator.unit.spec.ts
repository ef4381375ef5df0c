import { MAX_EVENTS_PER_POST, SEED_STORY_EVENTS } from '@newsroom/domain';
import { RequestValidationError, validatePostedEvents } from './posted-events.validator';

function refusal(body: unknown): RequestValidationError {
  try {
    validatePostedEvents(body);
  } catch (error) {
    if (error instanceof RequestValidationError) return error;
    throw error;
  }
  throw new Error('the body was accepted');
}

const [report, sources, , fordDenial] = SEED_STORY_EVENTS;

describe('validating posted events', () => {
  it('accepts every event of the seed story, one at a time and as one array, unchanged', () => {
    for (const event of SEED_STORY_EVENTS) {
      expect(validatePostedEvents(JSON.parse(JSON.stringify(event)))).toEqual({ events: [event], isArray: false });
    }
    expect(validatePostedEvents(JSON.parse(JSON.stringify(SEED_STORY_EVENTS))).events).toEqual(SEED_STORY_EVENTS);
  });

  it('refuses a field the catalogue does not have, nested ones included', () => {
    const claim = { ...(report!.data as unknown as { claims: object[] }).claims[0], confidence: 'high' };
    const error = refusal({ type: 'ReportPublished', data: { ...report!.data, claims: [claim], paywalled: true } });
    expect(error.errors).toEqual(
      expect.arrayContaining([
        { pointer: '/data/paywalled', detail: 'property paywalled should not exist' },
        { pointer: '/data/claims/0/confidence', detail: 'property confidence should not exist' },
      ]),
    );
  });

  it('refuses a world time without a zone, or on a day that does not exist', () => {
    expect(refusal({ type: 'CompanyDenied', data: { ...fordDenial!.data, deniedAt: '2025-01-06T15:00:00' } }).errors[0]!.pointer).toBe('/data/deniedAt');
    expect(refusal({ type: 'CompanyDenied', data: { ...fordDenial!.data, deniedAt: '2025-02-30T15:00:00Z' } }).errors[0]!.pointer).toBe('/data/deniedAt');
  });

  it('refuses a language that is not a BCP 47 tag, or one whose subtags IANA never registered', () => {
    for (const language of ['en_US', 'e', '', 'en-', 'x'.repeat(40), 'zz', 'english', 'en-UK']) {
      expect(refusal({ type: 'CompanyDenied', data: { ...fordDenial!.data, language } }).errors).toEqual([
        { pointer: '/data/language', detail: expect.stringContaining('registered with IANA') },
      ]);
    }
  });

  it('records a language tag in the registry’s case, and leaves everything else as posted', () => {
    const posted = [
      { ...report!, data: { ...report!.data, language: 'EN' } },
      { ...fordDenial!, data: { ...fordDenial!.data, language: 'zh-hant-tw' } },
    ];
    const { events } = validatePostedEvents(JSON.parse(JSON.stringify(posted)));
    expect(events).toEqual([
      { ...report!, data: { ...report!.data, language: 'en' } },
      { ...fordDenial!, data: { ...fordDenial!.data, language: 'zh-Hant-TW' } },
    ]);
  });

  it('refuses control characters and lone surrogates in text, allowing tabs and line breaks only in long text', () => {
    const denialWith = (field: string, value: string) => ({ type: 'CompanyDenied', data: { ...fordDenial!.data, [field]: value } });
    for (const bad of ['Ford\u0000', 'Ford\u001b[31m', 'Ford\u0007', 'Ford\u007f', 'Ford\u0085', 'Ford\ud800', 'Ford\udfff x', 'Ford\nMotor', 'Ford\tMotor']) {
      expect(refusal(denialWith('companyName', bad)).errors).toEqual([{ pointer: '/data/companyName', detail: expect.stringContaining('control characters') }]);
    }
    for (const bad of ['No.\u0000', 'No.\u001b', '\udc00No.', 'No.\u000b']) {
      expect(refusal(denialWith('statement', bad)).errors).toEqual([{ pointer: '/data/statement', detail: expect.stringContaining('control characters') }]);
    }
    for (const good of ['First paragraph.\n\nSecond\tparagraph.\r\n', 'Emoji \u{1F697} and 中文 are text.']) {
      expect(validatePostedEvents(denialWith('statement', good)).events[0]!.data).toEqual(expect.objectContaining({ statement: good }));
    }
  });

  it('refuses text that is blank once trimmed', () => {
    for (const blank of ['', ' ', '\t\n', '\u00a0\u2003', '\u3000']) {
      expect(refusal({ type: 'CompanyDenied', data: { ...fordDenial!.data, statement: blank } }).errors).toEqual([
        { pointer: '/data/statement', detail: 'statement must not be blank' },
      ]);
    }
  });

  it('refuses identifiers made of dots only', () => {
    for (const id of ['.', '..', '...']) {
      expect(refusal({ type: 'CompanyDenied', data: { ...fordDenial!.data, companyId: id } }).errors[0]!.pointer).toBe('/data/companyId');
      expect(refusal({ type: 'CompanyDenied', data: { ...fordDenial!.data, refutes: [id] } }).errors[0]!.pointer).toBe('/data/refutes');
    }
  });

  it('refuses null for an optional field as for any other: a field is left out or given a value', () => {
    const cases: [unknown, string][] = [
      [{ type: 'SourceCited', data: { ...sources!.data, count: null } }, '/data/count'],
      [{ type: 'ReportPublished', data: { ...report!.data, url: null } }, '/data/url'],
      [{ type: 'ReportPublished', data: { ...report!.data, followsReportId: null } }, '/data/followsReportId'],
      [{ type: 'CompanyDenied', data: { ...fordDenial!.data, reportedIn: null } }, '/data/reportedIn'],
    ];
    for (const [body, pointer] of cases) {
      expect(refusal(body).errors).toEqual([{ pointer, detail: `${pointer.slice(6)} must be left out or given a value; null is not accepted` }]);
    }
    const { count: _count, ...withoutCount } = sources!.data as unknown as Record<string, unknown>;
    expect(validatePostedEvents({ type: 'SourceCited', data: withoutCount }).events).toHaveLength(1);
  });

  it('says a count must be an integer when it is sent as a string', () => {
    for (const count of ['2', '4', 'four', 2.5]) {
      expect(refusal({ type: 'SourceCited', data: { ...sources!.data, count } }).errors).toEqual([
        { pointer: '/data/count', detail: 'count must be an integer (a JSON number, not a string)' },
      ]);
    }
  });

  it('refuses identifiers that are not slugs, and names the item of the array at fault', () => {
    const error = refusal([report, { type: 'SourceCited', data: { ...sources!.data, supports: ['ok', 'not a slug'] } }]);
    expect(error.errors).toEqual([{ pointer: '/1/data/supports', detail: expect.stringContaining('slug') }]);
  });

  it('refuses an unknown type, a missing data, an empty array and too many events', () => {
    expect(refusal({ type: 'ReportPulled', data: {} }).errors[0]!.pointer).toBe('/type');
    expect(refusal({ type: 'ReportPublished' }).errors[0]!.pointer).toBe('/data');
    expect(refusal([]).errors[0]!.detail).toMatch(/no events/);
    expect(refusal(Array.from({ length: MAX_EVENTS_PER_POST + 1 }, () => report)).errors[0]!.detail).toMatch(/at most/);
    expect(refusal('ReportPublished').errors[0]!.pointer).toBe('');
    expect(refusal(null).errors[0]!.pointer).toBe('');
  });

  it('refuses wrong types without throwing anything but its own error', () => {
    const error = refusal({ type: 'SourceCited', data: { ...sources!.data, count: '4', kind: 'rumour', supports: 'x' } });
    expect(error.errors.map((e) => e.pointer).sort()).toEqual(['/data/count', '/data/kind', '/data/supports']);
  });
});
