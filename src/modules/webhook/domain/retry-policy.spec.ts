import { describeAttempt, retryDelayMs, verdictOf } from './retry-policy';

describe('retry policy', () => {
  it.each([
    [200, 'delivered'], [204, 'delivered'], [299, 'delivered'],
    [500, 'retry'], [503, 'retry'], [429, 'retry'],
    [400, 'rejected'], [401, 'rejected'], [404, 'rejected'], [301, 'rejected'], [302, 'rejected'],
  ] as const)('HTTP %i is %s', (status, verdict) => {
    expect(verdictOf({ kind: 'response', status })).toBe(verdict);
  });

  it('retries timeouts and network errors', () => {
    expect(verdictOf({ kind: 'timeout' })).toBe('retry');
    expect(verdictOf({ kind: 'network', detail: 'ECONNREFUSED' })).toBe('retry');
  });

  it('retries a failed token request whatever the token endpoint answered: the callback was not sent', () => {
    expect(verdictOf({ kind: 'token', detail: 'HTTP 401' })).toBe('retry');
    expect(describeAttempt({ kind: 'token', detail: 'HTTP 401' })).toBe('token endpoint: HTTP 401');
  });

  it('doubles the delay per consecutive failure, between half and all of it, up to the cap', () => {
    const low = () => 0;
    const high = () => 1;
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000, 60000, high))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000, 60000, low))).toEqual([500, 1000, 2000, 4000]);
    expect(retryDelayMs(30, 1000, 60000, high)).toBe(60000);
    expect(retryDelayMs(1000, 1000, 60000, low)).toBe(30000);
  });
});
