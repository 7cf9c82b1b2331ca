import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { validateEnv } from '../src/platform/config/app-config';
import { AppError } from '../src/platform/errors/app-error';
import { LoginThrottle, type LoginAttempt } from '../src/platform/security/login-throttle';
import { RedisLoginCounters } from '../src/platform/security/redis-login-counters';
import { waitFor } from './support/stack';

const REDIS_HOST = process.env.REDIS_HOST ?? '127.0.0.1';
const REDIS_PORT = Number(process.env.REDIS_PORT ?? 6379);
// Long enough that a stall of the machine between two steps (seconds) does not move a step past a boundary.
const WINDOW_MS = 6000;

/**
 * The login throttle's counters in the shared Redis, under a key prefix of their own: what a
 * client that keeps trying while it is blocked is told, and when it gets in.
 */
describe('LoginThrottle counting in Redis', () => {
  const prefix = `e2e:login-throttle-${process.pid}-${randomBytes(4).toString('hex')}:`;
  let admin: Redis;
  let counters: RedisLoginCounters;
  let throttle: LoginThrottle;

  beforeAll(async () => {
    admin = new Redis({ host: REDIS_HOST, port: REDIS_PORT });
    counters = new RedisLoginCounters({ host: REDIS_HOST, port: REDIS_PORT, keyPrefix: prefix, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    const config = validateEnv({ LOGIN_THROTTLE_WINDOW_MS: String(WINDOW_MS), LOGIN_THROTTLE_LIMIT_PER_IP: '1000', LOGIN_THROTTLE_LIMIT_PER_CLIENT: '2' });
    throttle = new LoginThrottle(config, counters);
    await waitFor(async () => counters.redis.status === 'ready', 10_000, 50);
  });

  afterAll(async () => {
    throttle?.onApplicationShutdown();
    counters?.onModuleDestroy();
    if (admin) {
      const keys = await admin.keys(`${prefix}*`);
      if (keys.length > 0) await admin.del(...keys);
      admin.disconnect();
    }
  });

  const attempt = (subject: string): LoginAttempt => ({ login: 'agent', ip: '10.0.0.1', subject });
  const answer = async (subject: string): Promise<string> => {
    try {
      await throttle.attempt(attempt(subject));
      return 'admitted';
    } catch (err) {
      if (!(err instanceof AppError) || err.kind !== 'TooManyRequests') throw err;
      return `refused ${err.headers['Retry-After']}`;
    }
  };

  it('admits a client that kept trying while blocked once the Retry-After it was given has passed', async () => {
    const opened = Date.now();
    expect([await answer('alice'), await answer('alice')]).toEqual(['admitted', 'admitted']);
    await sleep(WINDOW_MS / 2);
    // The third attempt blocks alice for a whole window, past the end of the window her attempts opened.
    const blocking = { from: Date.now(), to: 0 };
    expect(await answer('alice')).toBe(`refused ${WINDOW_MS / 1000}`);
    blocking.to = Date.now();
    await sleep(WINDOW_MS / 2 + 200);
    // Her window has ended, her block has not (2.8 s of it left, less what a loaded machine took
    // meanwhile): these are refused, and tell her when to come back, the block's end in whole
    // seconds rounded up, as near as the times around each attempt tell it.
    for (let i = 0; i < 3; i++) {
      const before = Date.now();
      const refused = await answer('alice');
      const after = Date.now();
      expect(before).toBeGreaterThan(opened + WINDOW_MS);
      expect(refused).toMatch(/^refused \d+$/);
      const retryAfter = Number(refused.split(' ')[1]);
      expect(retryAfter).toBeGreaterThanOrEqual(Math.max(1, Math.ceil((blocking.from + WINDOW_MS - after) / 1000)));
      expect(retryAfter).toBeLessThanOrEqual(Math.ceil((blocking.to + WINDOW_MS - before) / 1000));
    }
    await sleep(WINDOW_MS / 2);
    expect(await answer('alice')).toBe('admitted');
    expect(await answer('alice')).toBe('admitted');
    expect(await answer('alice')).toBe(`refused ${WINDOW_MS / 1000}`);
  });
});
