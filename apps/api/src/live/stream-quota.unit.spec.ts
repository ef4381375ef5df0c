import { StreamQuota } from './stream-quota';

describe('StreamQuota', () => {
  it('given a limit of two, when a token asks for a third stream, then it is refused until one of its streams closes', () => {
    const quota = new StreamQuota(2);
    const first = quota.acquire('token:a');
    const second = quota.acquire('token:a');
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(quota.acquire('token:a')).toBeUndefined();

    first!();
    const third = quota.acquire('token:a');
    expect(third).toBeDefined();
    expect(quota.held('token:a')).toBe(2);
  });

  it('counts each token on its own', () => {
    const quota = new StreamQuota(1);
    expect(quota.acquire('token:a')).toBeDefined();
    expect(quota.acquire('token:b')).toBeDefined();
    expect(quota.acquire('token:a')).toBeUndefined();
  });

  it('a release called twice frees one place only', () => {
    const quota = new StreamQuota(2);
    const first = quota.acquire('token:a')!;
    quota.acquire('token:a');
    first();
    first();
    expect(quota.held('token:a')).toBe(1);
    expect(quota.acquire('token:a')).toBeDefined();
    expect(quota.acquire('token:a')).toBeUndefined();
  });
});
