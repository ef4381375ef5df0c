import { ProblemException } from '../errors/problem-details';
import { etagOf, parseIfMatch } from './if-match';

describe('If-Match', () => {
  it('takes a bare revision, the ETag of a 201, a weak ETag, or *', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('4')).toEqual({ revision: 4 });
    expect(parseIfMatch(etagOf(4))).toEqual({ revision: 4 });
    expect(parseIfMatch('W/"12"')).toEqual({ revision: 12 });
    expect(parseIfMatch(' 0 ')).toEqual({ revision: 0 });
    expect(parseIfMatch('*')).toEqual({ anyRevision: true });
  });

  it('answers anything else with a 400 problem', () => {
    for (const header of ['', 'abc', '-1', '"4', '4"', '"1", "2"', '1.5', '9'.repeat(16)]) {
      expect(() => parseIfMatch(header)).toThrow(ProblemException);
    }
  });
});
