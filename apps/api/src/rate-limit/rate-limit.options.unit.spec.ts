import { DEPLOYED_RATE_LIMITS, describeRateLimits, parseRateLimit, RateLimitConfigError, rateLimitsFor } from './rate-limit.options';

describe('a rate limit variable', () => {
  it.each([
    ['600', { max: 600, windowMs: 60_000 }],
    ['20/s', { max: 20, windowMs: 1000 }],
    ['600/m', { max: 600, windowMs: 60_000 }],
    ['5000/h', { max: 5000, windowMs: 3_600_000 }],
    ['50/10s', { max: 50, windowMs: 10_000 }],
    [' 50 / 10 s ', { max: 50, windowMs: 10_000 }],
  ])('given "%s", then it is that budget', (spec, limit) => {
    expect(parseRateLimit('NEWSROOM_RATE_LIMIT_WRITES', spec)).toEqual(limit);
  });

  it('given off (in any case), then there is no limit', () => {
    expect(parseRateLimit('NEWSROOM_RATE_LIMIT_READS', 'off')).toBe(false);
    expect(parseRateLimit('NEWSROOM_RATE_LIMIT_READS', 'OFF')).toBe(false);
  });

  it('given nothing or blanks, then the default applies (undefined)', () => {
    expect(parseRateLimit('NEWSROOM_RATE_LIMIT_READS', undefined)).toBeUndefined();
    expect(parseRateLimit('NEWSROOM_RATE_LIMIT_READS', '  ')).toBeUndefined();
  });

  it.each(['0', '0/s', '10/0s', '-5', 'ten', '10/d', '10 per minute', '1.5', '10/s/s', '1234567890'])(
    'given "%s", then start-up stops naming the variable and what it accepts',
    (spec) => {
      expect(() => parseRateLimit('NEWSROOM_RATE_LIMIT_WRITES', spec)).toThrow(RateLimitConfigError);
      expect(() => parseRateLimit('NEWSROOM_RATE_LIMIT_WRITES', spec)).toThrow(/^NEWSROOM_RATE_LIMIT_WRITES must be .*N \(per minute\), N\/s.* or off/);
    },
  );
});

describe('the budgets the api runs with', () => {
  it('given the development tokens and no variable, then nothing is limited', () => {
    expect(rateLimitsFor({ writes: undefined, reads: undefined }, true)).toEqual({ writes: false, reads: false });
  });

  it('given real tokens and no variable, then the deployed defaults', () => {
    expect(rateLimitsFor({ writes: undefined, reads: undefined }, false)).toEqual(DEPLOYED_RATE_LIMITS);
    expect(describeRateLimits(DEPLOYED_RATE_LIMITS)).toBe('writes 600 per minute, reads 3000 per minute');
  });

  it('given a variable, then it decides its budget alone, with either kind of tokens', () => {
    expect(rateLimitsFor({ writes: '5/s', reads: undefined }, true)).toEqual({ writes: { max: 5, windowMs: 1000 }, reads: false });
    expect(rateLimitsFor({ writes: 'off', reads: '7' }, false)).toEqual({ writes: false, reads: { max: 7, windowMs: 60_000 } });
  });
});
