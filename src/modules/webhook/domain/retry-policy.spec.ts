import { describeAttempt, nextAttemptDelayMs, retryAfterMs, retryDelayMs, verdictOf } from './retry-policy';

describe('retry policy', () => {
  it.each([
    [200, 'delivered'], [204, 'delivered'], [299, 'delivered'],
    [500, 'retry'], [503, 'retry'], [429, 'retry'], [408, 'retry'], [425, 'retry'],
    // Where or how it was sent (URL, credentials, signature, format): a setting to fix, the events wait.
    [301, 'retry'], [302, 'retry'], [308, 'retry'], [401, 'retry'], [403, 'retry'], [404, 'retry'], [405, 'retry'], [410, 'retry'], [415, 'retry'],
    // What it carried.
    [400, 'rejected'], [409, 'rejected'], [413, 'rejected'], [422, 'rejected'], [451, 'rejected'],
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

  describe('Retry-After', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');

    it('reads delay-seconds and the three HTTP date forms as a pause from now', () => {
      expect(retryAfterMs('120', now)).toBe(120000);
      expect(retryAfterMs(' 0 ', now)).toBe(0);
      expect(retryAfterMs('Sun, 06 Dec 2026 12:00:30 GMT', now)).toBe(30000);
      expect(retryAfterMs('Sunday, 06-Dec-26 12:01:00 GMT', now)).toBe(60000);
      expect(retryAfterMs('Sun Dec  6 12:00:05 2026', now)).toBe(5000);
    });

    it('reads a date already past as no pause', () => {
      expect(retryAfterMs('Sun, 06 Dec 2026 11:00:00 GMT', now)).toBe(0);
    });

    it('ignores what is neither delay-seconds nor an HTTP date', () => {
      for (const value of [undefined, null, '', '-5', '1.5', '10s', 'soon', '2026-12-06T12:00:30Z', 'Sun, 06 Dec 2026 12:00:30 +0100', '12 Dec']) {
        expect(retryAfterMs(value, now)).toBeUndefined();
      }
    });
  });

  describe('the wait before the next attempt', () => {
    const policy = { baseMs: 1000, maxMs: 60000 };
    const high = () => 1;

    it('waits at least the pause a 429 or 503 asked for', () => {
      expect(nextAttemptDelayMs(1, { kind: 'response', status: 429, retryAfterMs: 30000 }, policy, high)).toBe(30000);
      expect(nextAttemptDelayMs(1, { kind: 'response', status: 503, retryAfterMs: 7000 }, policy, high)).toBe(7000);
    });

    it('keeps the backoff when it is longer than the pause asked for', () => {
      expect(nextAttemptDelayMs(5, { kind: 'response', status: 429, retryAfterMs: 2000 }, policy, high)).toBe(16000);
      expect(nextAttemptDelayMs(1, { kind: 'response', status: 429, retryAfterMs: 0 }, policy, high)).toBe(1000);
    });

    it('waits the pause the receiver\'s token endpoint asked for with 429 or 503, not one it sent with a refusal', () => {
      expect(nextAttemptDelayMs(1, { kind: 'token', detail: 'HTTP 429', status: 429, retryAfterMs: 20000 }, policy, high)).toBe(20000);
      expect(nextAttemptDelayMs(1, { kind: 'token', detail: 'HTTP 503', status: 503, retryAfterMs: 5000 }, policy, high)).toBe(5000);
      expect(nextAttemptDelayMs(1, { kind: 'token', detail: 'HTTP 401', status: 401, retryAfterMs: 20000 }, policy, high)).toBe(1000);
      expect(nextAttemptDelayMs(1, { kind: 'token', detail: 'answered no access_token' }, policy, high)).toBe(1000);
    });

    it('honours a pause only up to the longest retry delay', () => {
      expect(nextAttemptDelayMs(1, { kind: 'response', status: 429, retryAfterMs: 3 * 86400000 }, policy, high)).toBe(60000);
      expect(nextAttemptDelayMs(1, { kind: 'response', status: 503, retryAfterMs: Infinity }, policy, high)).toBe(60000);
    });

    it('ignores Retry-After on other answers, and backs off as usual without one', () => {
      expect(nextAttemptDelayMs(1, { kind: 'response', status: 500, retryAfterMs: 30000 }, policy, high)).toBe(1000);
      expect(nextAttemptDelayMs(1, { kind: 'response', status: 502, retryAfterMs: 30000 }, policy, high)).toBe(1000);
      expect(nextAttemptDelayMs(2, { kind: 'response', status: 429 }, policy, high)).toBe(2000);
      expect(nextAttemptDelayMs(2, { kind: 'timeout' }, policy, high)).toBe(2000);
    });
  });
});
