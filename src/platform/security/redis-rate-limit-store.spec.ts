import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { MemoryRateLimitStore } from './memory-rate-limit-store';
import { isRefusal, type CountedHit, type RateLimit, type RateLimitRefusal, type RateLimitStore } from './rate-limiter';
import { RedisRateLimitStore, counterKey, counterKeys } from './redis-rate-limit-store';

/** A counted hit's outcome as the tests read it: the refusal, or nothing when it counted. */
const refusalOf = (outcome: RateLimitRefusal | CountedHit): RateLimitRefusal | undefined => (isRefusal(outcome) ? outcome : undefined);

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
    expect(refusalOf(await store.take([limit]))).toBeUndefined();
    jest.advanceTimersByTime(6_000);
    expect(refusalOf(await store.take([limit]))).toBeUndefined();
    jest.advanceTimersByTime(3_000);
    // Refused with the rest of the window opened by the first hit, not one opened by the last.
    expect(refusalOf(await store.take([limit]))).toEqual({ limit, retryAfterSeconds: 1 });
    jest.advanceTimersByTime(1_000);
    // A sliding window would still hold the hit of 6 s ago and grant one hit only.
    expect(refusalOf(await store.take([limit]))).toBeUndefined();
    expect(refusalOf(await store.take([limit]))).toBeUndefined();
    expect(refusalOf(await store.take([limit]))?.retryAfterSeconds).toBe(10);
  });

  it('does not move or lengthen a window for the hits it refuses', async () => {
    const store = storeOf();
    await store.take([limit]);
    await store.take([limit]);
    for (let second = 1; second < 10; second++) {
      jest.advanceTimersByTime(1_000);
      expect(refusalOf(await store.take([limit]))?.retryAfterSeconds).toBe(10 - second);
    }
    jest.advanceTimersByTime(1_000);
    expect(refusalOf(await store.take([limit]))).toBeUndefined();
  });

  it('takes a hit given back out of the window that counted it, and out of no window opened since', async () => {
    const store = storeOf();
    const first = counted(await store.take([limit]));
    counted(await store.take([limit]));
    expect(refusalOf(await store.take([limit]))).toEqual({ limit, retryAfterSeconds: 10 });
    await first.giveBack();
    const again = counted(await store.take([limit]));
    expect(refusalOf(await store.take([limit]))).toEqual({ limit, retryAfterSeconds: 10 });
    jest.advanceTimersByTime(10_000);
    counted(await store.take([limit]));
    // From the window that has ended: the new one keeps its count.
    await again.giveBack();
    counted(await store.take([limit]));
    expect(refusalOf(await store.take([limit]))).toEqual({ limit, retryAfterSeconds: 10 });
  });
});

function counted(outcome: RateLimitRefusal | CountedHit): CountedHit {
  if (isRefusal(outcome)) throw new Error(`refused: ${outcome.limit.name}`);
  return outcome;
}

describe('RedisRateLimitStore giving a hit back', () => {
  it('leaves the hit counted, with a warning, when Redis stops answering between the count and the give-back', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const redis = {
      defineCommand: () => undefined,
      rateLimitHitAll: async () => [0, 0, 10_000],
      rateLimitGiveBack: async () => {
        throw new Error('Command timed out');
      },
    } as unknown as Redis;
    const hit = counted(await new RedisRateLimitStore(redis).take([limit]));
    await expect(hit.giveBack()).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ limits: ['start-per-customer'] }), expect.stringContaining('not given back'));
    warn.mockRestore();
  });

  it('leaves the hit counted, asking Redis nothing, when Redis did not tell when its window ends (before 7.0, no PEXPIRETIME)', async () => {
    const giveBack = jest.fn(async () => 0);
    const redis = { defineCommand: () => undefined, rateLimitHitAll: async () => [0, 0, 0], rateLimitGiveBack: giveBack } as unknown as Redis;
    const hit = counted(await new RedisRateLimitStore(redis).take([limit]));
    await hit.giveBack();
    expect(giveBack).not.toHaveBeenCalled();
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

  // Counters already in Redis are read after a deploy only under these same names.
  const application = { name: 'start-per-application', key: '7', scope: '7' };
  const customer = { name: 'start-per-customer', key: '7:email.emailAddress:ada@example.com', scope: '7' };
  const applicationKey = 'start-per-application:{eQJpm-Qsio5G-7tFAXJlF-hrIsVqGJ92JabaSQgbJFE}:eQJpm-Qsio5G-7tFAXJlF-hrIsVqGJ92JabaSQgbJFE';
  const customerKey = 'start-per-customer:{eQJpm-Qsio5G-7tFAXJlF-hrIsVqGJ92JabaSQgbJFE}:IIQMcMG8Zr97xoKtJ1WePfzZdegXwanXy7cofaz0Jf4';

  it("names a start's counters as it always has, one limit at a time or together", () => {
    expect(counterKey(application)).toBe(applicationKey);
    expect(counterKey(customer)).toBe(customerKey);
    expect(counterKeys([application, customer])).toEqual([applicationKey, customerKey]);
  });

  it("hashes a start's application id once for both of its counters, as their scope and as the application's key", async () => {
    // The module object itself, which the store's import reads at each call (an import * is a copy).
    const hashes = jest.spyOn(jest.requireActual<typeof import('node:crypto')>('node:crypto'), 'createHash');
    const hitAll = jest.fn(async () => [0, 0, 1, 1]);
    const redis = { defineCommand: () => undefined, rateLimitHitAll: hitAll } as unknown as Redis;
    await new RedisRateLimitStore(redis).take([{ ...application, limit: 5, windowMs: 10_000 }, { ...customer, limit: 5, windowMs: 10_000 }]);
    expect(hitAll).toHaveBeenCalledWith(2, applicationKey, customerKey, 5, 10_000, 5, 10_000);
    expect(hashes.mock.calls.length).toBeLessThanOrEqual(2);
    // The next start of the same application hashes its customer's key alone.
    const next = { ...customer, key: '7:email.emailAddress:grace@example.com' };
    const nextKey = counterKey(next);
    hashes.mockClear();
    await new RedisRateLimitStore(redis).take([{ ...application, limit: 5, windowMs: 10_000 }, { ...next, limit: 5, windowMs: 10_000 }]);
    expect(hitAll).toHaveBeenLastCalledWith(2, applicationKey, nextKey, 5, 10_000, 5, 10_000);
    expect(hashes).toHaveBeenCalledTimes(1);
    hashes.mockRestore();
  });

  it('names a counter by its name and key alone when it has no scope of its own, and tags it with its key', () => {
    const alone = counterKey({ name: 'sendmessage-per-agent', key: '12' });
    expect(alone).toBe(counterKey({ name: 'sendmessage-per-agent', key: '12', scope: '12' }));
    expect(hashTag(alone)).not.toBe(hashTag(counterKey({ name: 'sendmessage-per-agent', key: '13' })));
  });
});
