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

  it('refuses a language that is not a BCP 47 tag', () => {
    for (const language of ['en_US', 'e', '', 'en-', 'x'.repeat(40)]) {
      expect(refusal({ type: 'CompanyDenied', data: { ...fordDenial!.data, language } }).errors[0]!.pointer).toBe('/data/language');
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
