import { RedisCacheInvalidation } from '../src/platform/cache/redis-cache-invalidation';
import type { AppConfig } from '../src/platform/config/app-config';
import { PrivateRedis } from './support/private-services';
import { waitFor } from './support/stack';

/**
 * A process that starts while Redis is away cannot subscribe to the notices at once; it must
 * still get them once Redis answers, or every change made by another process is served stale
 * from its caches for a whole TTL, every time, until it is restarted.
 */
describe('cache invalidation notices subscribed while Redis is down', () => {
  let redis: PrivateRedis;
  const clients: RedisCacheInvalidation[] = [];

  beforeAll(async () => {
    redis = new PrivateRedis();
    await redis.start();
    await redis.kill();
  });

  afterAll(async () => {
    for (const client of clients) await client.onApplicationShutdown();
    await redis?.destroy();
  });

  const client = (): RedisCacheInvalidation => {
    const config = { REDIS_HOST: '127.0.0.1', REDIS_PORT: redis.port, REDIS_PREFIX: `e2e-subscribe-${process.pid}` } as AppConfig;
    const made = new RedisCacheInvalidation(config);
    clients.push(made);
    return made;
  };

  it('delivers the notices published once Redis is back to a process that subscribed before', async () => {
    const received: (string | undefined)[] = [];
    client().subscribe('session', (key) => received.push(key));
    // Long enough for the subscription to be refused (one retry, maxRetriesPerRequest: 1).
    await new Promise((r) => setTimeout(r, 1500));
    await redis.start();

    const publisher = client();
    await waitFor(async () => {
      publisher.publish('session', 'k1');
      await new Promise((r) => setTimeout(r, 200));
      return received.includes('k1');
    }, 10000, 0);
    expect(received.every((key) => key === 'k1')).toBe(true);
  }, 30000);
});
