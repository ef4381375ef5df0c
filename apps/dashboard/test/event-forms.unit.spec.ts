// The forms post the catalogue's data shapes, and a refusal's JSON pointer finds its field.
import { eventData, fieldOfPointer } from '../src/record/event-forms';

describe('the record forms', () => {
  it('build a report with its claim, lists split on commas, empty optional fields left out', () => {
    const data = eventData('ReportPublished', {
      reportId: 'ft-1',
      outlet: 'Financial Times',
      headline: 'Ford and Xiaomi held EV talks',
      url: ' ',
      language: 'en',
      publishedAt: '2025-01-06T06:00:00Z',
      followsReportId: '',
      'claims/0/claimId': 'jv-talks',
      'claims/0/statement': 'Ford and Xiaomi discussed a US EV joint venture.',
      'claims/0/about': 'ford, xiaomi,',
    });
    expect(data).toEqual({
      reportId: 'ft-1',
      outlet: 'Financial Times',
      headline: 'Ford and Xiaomi held EV talks',
      language: 'en',
      publishedAt: '2025-01-06T06:00:00Z',
      claims: [{ claimId: 'jv-talks', statement: 'Ford and Xiaomi discussed a US EV joint venture.', about: ['ford', 'xiaomi'] }],
    });
  });

  it('send a count as a number, and anything else as typed for the api to judge', () => {
    expect(eventData('SourceCited', { count: '4' }).count).toBe(4);
    expect(eventData('SourceCited', { count: 'four' }).count).toBe('four');
  });

  it('find the field a pointer names, down to an item of a list', () => {
    expect(fieldOfPointer('CompanyDenied', '/data/language')).toBe('language');
    expect(fieldOfPointer('ReportPublished', '/data/claims/0/about/1')).toBe('claims/0/about');
    expect(fieldOfPointer('CompanyDenied', '/type')).toBeUndefined();
    expect(fieldOfPointer('CompanyDenied', '/data/paywalled')).toBeUndefined();
  });
});
