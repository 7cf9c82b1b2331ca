import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { isRefusal, type CountedHit, type RateLimit, type RateLimitRefusal } from '../src/platform/security/rate-limiter';
import { RedisRateLimitStore, counterKey } from '../src/platform/security/redis-rate-limit-store';
import { PrivateRedis } from './support/private-services';
import { waitFor } from './support/stack';

/** A counted hit's outcome as the tests read it: the refusal, or nothing when it counted. */
const refusalOf = (outcome: RateLimitRefusal | CountedHit): RateLimitRefusal | undefined => (isRefusal(outcome) ? outcome : undefined);

const LIMIT = 3;

/**
 * The start throttle's Redis (a private redis-server) goes away. A hit is not refused for it
 * and does not wait for it: the store counts in its own process, with the same limits, until
 * Redis answers again, and then counts in Redis again. A Redis that hangs costs a hit at most
 * the one-second command timeout.
 */
describe('RateLimiter counting in Redis while Redis is down', () => {
  const prefix = `e2e:rate-limit-down-${process.pid}-${randomBytes(4).toString('hex')}:`;
  let redis: PrivateRedis;
  let store: RedisRateLimitStore;
  let warnings: jest.SpyInstance;
  let infos: jest.SpyInstance;
  let probes = 0;

  const limit = (key: string): RateLimit => ({ name: 'start-per-customer', key, limit: LIMIT, windowMs: 60_000 });

  /** Hits `key` once and says how long that took and whether it was refused. */
  async function hit(key: string): Promise<{ refused: boolean; ms: number }> {
    const started = Date.now();
    const refusal = refusalOf(await store.take([limit(key)]));
    return { refused: refusal !== undefined, ms: Date.now() - started };
  }

  async function countsInRedis(): Promise<void> {
    const admin = new Redis({ port: redis.port, lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await admin.connect();
      // Each probe names a key of its own, so none of them comes near the limit.
      await waitFor(async () => {
        const key = `probe-${probes++}`;
        await hit(key);
        return (await admin.exists(`${prefix}${counterKey({ name: 'start-per-customer', key })}`)) === 1;
      }, 20_000, 100);
    } finally {
      admin.disconnect();
    }
  }

  beforeAll(async () => {
    redis = new PrivateRedis();
    await redis.start();
    warnings = jest.spyOn(Logger.prototype, 'warn');
    infos = jest.spyOn(Logger.prototype, 'log');
    store = RedisRateLimitStore.connect({ host: '127.0.0.1', port: redis.port, keyPrefix: prefix });
    await countsInRedis();
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    store?.onApplicationShutdown();
    redis?.resume();
    await redis?.destroy();
  });

  const outageWarnings = () => warnings.mock.calls.filter(([, msg]) => typeof msg === 'string' && msg.startsWith('Redis unreachable: the start and sendmessage throttles count in this process')).length;

  it('answers at once while Redis is dead, lets hits through below the limit and refuses beyond it, counted in the process', async () => {
    warnings.mockClear();
    await redis.kill();
    for (let i = 0; i < LIMIT; i++) {
      const result = await hit('dead');
      expect(result.refused).toBe(false);
      expect(result.ms).toBeLessThan(3000);
    }
    expect((await hit('dead')).refused).toBe(true);
    // Another key is not held back: Redis being away stops no start by itself.
    expect((await hit('dead-other')).refused).toBe(false);
    expect(outageWarnings()).toBe(1);
  });

  it('counts in Redis again once Redis is back', async () => {
    infos.mockClear();
    await redis.start();
    await countsInRedis();
    expect(infos.mock.calls.some(([msg]) => msg === 'start and sendmessage throttles count in Redis again, shared by every api process')).toBe(true);
  });

  it('a hanging Redis delays a hit by its timeout at most, and hits are still limited', async () => {
    redis.pause();
    try {
      for (let i = 0; i < LIMIT; i++) {
        const result = await hit('hung');
        expect(result.refused).toBe(false);
        expect(result.ms).toBeLessThan(3000);
      }
      const refused = await hit('hung');
      expect(refused.refused).toBe(true);
      expect(refused.ms).toBeLessThan(3000);
    } finally {
      redis.resume();
    }
  });
});
