import { AppError } from '../errors/app-error';
import { MemoryRateLimitStore } from './memory-rate-limit-store';
import { RateLimiter } from './rate-limiter';

describe('RateLimiter counting in memory', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-11-26T12:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  async function refusal(promise: Promise<unknown>): Promise<AppError> {
    try {
      await promise;
    } catch (err) {
      return err as AppError;
    }
    throw new Error('the hit was not refused');
  }

  it('lets `limit` hits through per window and refuses the next with TooManyRequests and Retry-After', async () => {
    const limiter = new RateLimiter(new MemoryRateLimitStore());
    for (let i = 0; i < 3; i++) await limiter.hit('start', 'a', 3, 10_000);
    jest.advanceTimersByTime(2_500);
    const err = await refusal(limiter.hit('start', 'a', 3, 10_000));
    expect(err).toBeInstanceOf(AppError);
    expect(err.kind).toBe('TooManyRequests');
    expect(err.headers).toEqual({ 'Retry-After': '8' });
  });

  it('counts keys and names apart', async () => {
    const limiter = new RateLimiter(new MemoryRateLimitStore());
    await limiter.hit('start', 'a', 1, 10_000);
    await limiter.hit('start', 'b', 1, 10_000);
    await limiter.hit('other', 'a', 1, 10_000);
    await expect(limiter.hit('start', 'a', 1, 10_000)).rejects.toBeInstanceOf(AppError);
  });

  it('opens a new window once the last one ended, also after ended windows were swept', async () => {
    const limiter = new RateLimiter(new MemoryRateLimitStore());
    await limiter.hit('start', 'a', 2, 10_000);
    await limiter.hit('start', 'a', 2, 10_000);
    await expect(limiter.hit('start', 'a', 2, 10_000)).rejects.toBeInstanceOf(AppError);
    jest.advanceTimersByTime(10_000);
    await limiter.hit('start', 'b', 2, 10_000); // sweeps the ended window of 'a'
    await limiter.hit('start', 'a', 2, 10_000);
    await limiter.hit('start', 'a', 2, 10_000);
    await expect(limiter.hit('start', 'a', 2, 10_000)).rejects.toBeInstanceOf(AppError);
  });

  it('has no limit at 0', async () => {
    const limiter = new RateLimiter(new MemoryRateLimitStore());
    for (let i = 0; i < 100; i++) await limiter.hit('start', 'a', 0, 10_000);
  });

  it('counts a hit against all of its limits or, when one is reached, against none', async () => {
    const limiter = new RateLimiter(new MemoryRateLimitStore());
    const app = { name: 'app', key: 'a', scope: 'a', limit: 5, windowMs: 10_000 };
    const customer = (key: string) => ({ name: 'customer', key, scope: 'a', limit: 2, windowMs: 10_000 });
    await limiter.hitAll([app, customer('c1')]);
    await limiter.hitAll([app, customer('c1')]);
    for (let i = 0; i < 10; i++) await expect(limiter.hitAll([app, customer('c1')])).rejects.toBeInstanceOf(AppError);
    // The refused hits did not count against the application: 3 more pass, then it is full.
    await limiter.hitAll([app, customer('c2')]);
    await limiter.hitAll([app, customer('c2')]);
    await limiter.hitAll([app, customer('c3')]);
    await expect(limiter.hitAll([app, customer('c4')])).rejects.toBeInstanceOf(AppError);
  });

  it('refuses, as a programming error, limits counted together under different scopes (their Redis keys would be in different hash slots)', async () => {
    const limiter = new RateLimiter(new MemoryRateLimitStore());
    await limiter.hitAll([{ name: 'app', key: 'a', scope: 'a', limit: 5, windowMs: 10_000 }, { name: 'customer', key: 'a:c', scope: 'a', limit: 2, windowMs: 10_000 }]);
    await expect(limiter.hitAll([{ name: 'app', key: 'a', limit: 5, windowMs: 10_000 }, { name: 'customer', key: 'a:c', limit: 2, windowMs: 10_000 }])).rejects.toThrow(/must share a scope: app, customer/);
  });

  it('answers the Retry-After of the latest window among the limits reached', async () => {
    const limiter = new RateLimiter(new MemoryRateLimitStore());
    await limiter.hitAll([{ name: 'long', key: 'a', limit: 1, windowMs: 30_000 }]);
    jest.advanceTimersByTime(1_000);
    await limiter.hitAll([{ name: 'short', key: 'a', limit: 1, windowMs: 10_000 }]);
    const err = await refusal(limiter.hitAll([{ name: 'short', key: 'a', limit: 1, windowMs: 10_000 }, { name: 'long', key: 'a', limit: 1, windowMs: 30_000 }]));
    expect(err.headers).toEqual({ 'Retry-After': '29' });
  });
});
