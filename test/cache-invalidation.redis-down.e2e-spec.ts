import { http, login } from './support/client';
import { PrivateRedis } from './support/private-services';
import { Stack, waitFor, type RunningProcess } from './support/stack';

/**
 * The cache invalidation notices' Redis connections (pub/sub) going and coming back are logged as
 * the queues' and the throttles' are: one warning when Redis goes and one line when it answers
 * again, in the api and in the worker, at the default level, and not a line per reconnection
 * attempt or per notice lost meanwhile.
 */
describe('cache invalidation connections while Redis is down', () => {
  let redis: PrivateRedis;
  let stack: Stack;

  beforeAll(async () => {
    redis = new PrivateRedis();
    await redis.start();
    // With a cache, a process listens for notices (the stack's default is none).
    stack = await Stack.start({ env: { REDIS_PORT: String(redis.port), LOG_LEVEL: 'info', SESSION_CACHE_TTL_MS: '60000', CONFIG_CACHE_TTL_MS: '60000' } });
  });

  afterAll(async () => {
    await redis?.start();
    await stack?.stop();
    await redis?.destroy();
  });

  const lines = (p: RunningProcess, pattern: RegExp): string[] => p.output.filter((line) => pattern.test(line) && /"context":"CacheInvalidation"/.test(line));
  const DOWN = /Redis unreachable: cache changes are not announced/;
  const BACK = /cache changes are announced through Redis again/;
  const revoke = async (token: string): Promise<number> =>
    (await http(`${stack.clientApiUrl}/authentication/oauth2/revoke`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } })).status;

  it('logs one line when Redis goes and one when it is back, in the api and the worker, at each outage', async () => {
    const processes = [stack.api, ...stack.workers];
    // A revoked session is announced: the api's publishing connection is open as well as every process's subscription.
    expect(await revoke(await login(stack))).toBe(204);
    for (const p of processes) expect([lines(p, DOWN), lines(p, BACK)]).toEqual([[], []]);

    for (const outage of [1, 2]) {
      const token = await login(stack);
      await redis.kill();
      await waitFor(async () => processes.every((p) => lines(p, DOWN).length === outage), 10000, 100);
      // A notice lost in the outage is part of it, not a line of its own.
      expect(await revoke(token)).toBe(204);
      // Long enough for every connection to fail several reconnection attempts.
      await new Promise((r) => setTimeout(r, 3000));
      for (const p of processes) expect([lines(p, DOWN).length, lines(p, BACK).length]).toEqual([outage, outage - 1]);

      await redis.start();
      await waitFor(async () => processes.every((p) => lines(p, BACK).length === outage), 15000, 100);
      await new Promise((r) => setTimeout(r, 2000));
      for (const p of processes) expect([lines(p, DOWN).length, lines(p, BACK).length]).toEqual([outage, outage]);
    }
    for (const p of processes) {
      // The first error of a connection lost is its socket's read (ECONNRESET) or the reconnection refused.
      expect(JSON.parse(lines(p, DOWN)[0])).toMatchObject({ level: 40, err: expect.stringMatching(/ECONNREFUSED|ECONNRESET/) });
      expect(JSON.parse(lines(p, BACK)[0])).toMatchObject({ level: 30 });
      expect(p.child.exitCode).toBeNull();
    }
  }, 90000);
});
