import { http, type HttpResult } from './support/client';
import { PrivateRedis } from './support/private-services';
import { Stack, waitFor } from './support/stack';
import { expectError } from './support/ws-error';

const PER_CLIENT = 3;
const PER_IP = 100;
const WINDOW_MS = 60000;

/**
 * Redis (a private redis-server) goes away while clients log in. Logins keep being answered
 * without waiting for Redis and stay throttled, counted in the api process until Redis is
 * back; then the counters are in Redis again. A Redis that hangs costs a login at most its
 * one-second timeout.
 */
describe('login throttling while Redis is down', () => {
  let redis: PrivateRedis;
  let stack: Stack;

  beforeAll(async () => {
    redis = new PrivateRedis();
    await redis.start();
    stack = await Stack.start({
      workers: 0,
      env: {
        REDIS_PORT: String(redis.port),
        // The return to Redis is an info line.
        LOG_LEVEL: 'info',
        LOGIN_THROTTLE_LIMIT_PER_CLIENT: String(PER_CLIENT),
        LOGIN_THROTTLE_LIMIT_PER_IP: String(PER_IP),
        LOGIN_THROTTLE_WINDOW_MS: String(WINDOW_MS),
      },
    });
  });

  afterAll(async () => {
    redis?.resume();
    await redis?.start();
    await stack?.stop();
    await redis?.destroy();
  });

  const attempt = async (key: string, secret: string): Promise<HttpResult & { ms: number }> => {
    const started = Date.now();
    const res = await http(`${stack.clientApiUrl}/authentication/oauth2/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: 'grant_type=client_credentials',
    });
    return { ...res, ms: Date.now() - started };
  };

  const loginKeys = async (): Promise<string[]> => {
    try {
      return await stack.redis.keys(`${stack.env.REDIS_PREFIX}:login-throttle:*`);
    } catch {
      return [];
    }
  };

  const logged = (pattern: RegExp) => stack.api.output.some((line) => pattern.test(line));

  it('answers logins at once, lets them through below the limit and throttles beyond it, counted in the process', async () => {
    await redis.kill();
    const { chatClientKey, chatClientSecret } = stack.credentials;
    for (let i = 0; i < PER_CLIENT; i++) {
      const res = await attempt(chatClientKey, `guess-${i}`);
      expectError(res, 'InvalidClientCredentials');
      expect(res.ms).toBeLessThan(3000);
    }
    const throttled = await attempt(chatClientKey, chatClientSecret);
    expectError(throttled, 'TooManyRequests');
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(logged(/Redis unreachable: login attempts are counted in this process/)).toBe(true);
    // Below the limit a login succeeds: Redis being away locks no one out.
    const { otherClientKey, otherClientSecret } = stack.credentials;
    expect((await attempt(otherClientKey, otherClientSecret)).status).toBe(200);
  });

  it('counts in Redis again once Redis is back', async () => {
    await redis.start();
    let probe = 0;
    // Each probe names a key of its own, so none of them comes near a limit.
    await waitFor(async () => {
      expectError(await attempt(`probe-${probe++}`, 'x'), 'InvalidClientCredentials');
      return (await loginKeys()).length > 0;
    }, 20000, 200);
    expect(logged(/login attempts are counted in Redis again/)).toBe(true);
  });

  it('a hanging Redis delays a login by its timeout at most, and logins are still throttled', async () => {
    redis.pause();
    try {
      for (let i = 0; i < PER_CLIENT; i++) {
        const res = await attempt('hung-redis', `guess-${i}`);
        expectError(res, 'InvalidClientCredentials');
        expect(res.ms).toBeLessThan(3000);
      }
      const throttled = await attempt('hung-redis', 'guess');
      expectError(throttled, 'TooManyRequests');
      expect(throttled.ms).toBeLessThan(3000);
    } finally {
      redis.resume();
    }
  });
});
