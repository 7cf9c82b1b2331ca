import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { MemoryRateLimitStore } from './memory-rate-limit-store';
import type { RateLimit, RateLimitStore } from './rate-limiter';
import { RedisRateLimitStore, counterKey } from './redis-rate-limit-store';

/** A Redis that is away: every script call fails, as it does with the offline queue off. */
function unreachableRedis(): Redis {
  return {
    defineCommand: () => undefined,
    rateLimitHitAll: async () => {
      throw new Error("Stream isn't writeable and enableOfflineQueue options is false");
    },
  } as unknown as Redis;
}

const limit: RateLimit = { name: 'start-per-customer', key: 'c', limit: 2, windowMs: 10_000 };

/**
 * The window rule of every store (rate-limiter.ts, RateLimitStore): fixed windows opened at a
 * key's first hit. The Redis script follows it (test/rate-limiter.redis.e2e-spec.ts); these hold
 * it for the memory store and for the Redis store counting in its process while Redis is away.
 */
describe.each<[string, () => RateLimitStore]>([
  ['the memory store', () => new MemoryRateLimitStore()],
  ['the Redis store while Redis is away', () => new RedisRateLimitStore(unreachableRedis())],
])('fixed windows in %s', (_, storeOf) => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-26T12:00:00Z') });
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('ends the window windowMs after its first hit, whatever came later, and then grants the whole limit again', async () => {
    const store = storeOf();
    expect(await store.hitAll([limit])).toBeUndefined();
    jest.advanceTimersByTime(6_000);
    expect(await store.hitAll([limit])).toBeUndefined();
    jest.advanceTimersByTime(3_000);
    // Refused with the rest of the window opened by the first hit, not one opened by the last.
    expect(await store.hitAll([limit])).toEqual({ limit, retryAfterSeconds: 1 });
    jest.advanceTimersByTime(1_000);
    // A sliding window would still hold the hit of 6 s ago and grant one hit only.
    expect(await store.hitAll([limit])).toBeUndefined();
    expect(await store.hitAll([limit])).toBeUndefined();
    expect((await store.hitAll([limit]))?.retryAfterSeconds).toBe(10);
  });

  it('does not move or lengthen a window for the hits it refuses', async () => {
    const store = storeOf();
    await store.hitAll([limit]);
    await store.hitAll([limit]);
    for (let second = 1; second < 10; second++) {
      jest.advanceTimersByTime(1_000);
      expect((await store.hitAll([limit]))?.retryAfterSeconds).toBe(10 - second);
    }
    jest.advanceTimersByTime(1_000);
    expect(await store.hitAll([limit])).toBeUndefined();
  });
});

describe('counterKey', () => {
  /** What Redis Cluster hashes of a key: the text between its first `{` and the next `}`. */
  const hashTag = (key: string) => /\{([^}]*)\}/.exec(key)?.[1];

  it("puts the limits of one call in one hash slot: the scope's digest between braces, the only braces of the key", () => {
    const application = counterKey({ name: 'start-per-application', key: '7', scope: '7' });
    const customer = counterKey({ name: 'start-per-customer', key: '7:email.emailAddress:ada@example.com', scope: '7' });
    expect(application).toMatch(/^start-per-application:\{[A-Za-z0-9_-]{43}\}:[A-Za-z0-9_-]{43}$/);
    expect(customer).toMatch(/^start-per-customer:\{[A-Za-z0-9_-]{43}\}:[A-Za-z0-9_-]{43}$/);
    expect(hashTag(customer)).toBe(hashTag(application));
    expect(hashTag(counterKey({ name: 'start-per-application', key: '8', scope: '8' }))).not.toBe(hashTag(application));
    expect(customer).not.toContain('ada');
  });

  it('names a counter by its name and key alone when it has no scope of its own, and tags it with its key', () => {
    const alone = counterKey({ name: 'sendmessage-per-agent', key: '12' });
    expect(alone).toBe(counterKey({ name: 'sendmessage-per-agent', key: '12', scope: '12' }));
    expect(hashTag(alone)).not.toBe(hashTag(counterKey({ name: 'sendmessage-per-agent', key: '13' })));
  });
});
