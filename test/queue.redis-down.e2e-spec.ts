import { PrivateRedis } from './support/private-services';
import { Stack, waitFor, type RunningProcess } from './support/stack';

/**
 * The queues' own Redis connections (Bull's) going and coming back are logged as the throttles'
 * are: one line when Redis goes, one when it answers again, in the api and in the worker, and
 * not a line per reconnection attempt.
 */
describe('queue connections while Redis is down', () => {
  let redis: PrivateRedis;
  let stack: Stack;

  beforeAll(async () => {
    redis = new PrivateRedis();
    await redis.start();
    stack = await Stack.start({ env: { REDIS_PORT: String(redis.port), LOG_LEVEL: 'info' } });
  });

  afterAll(async () => {
    await redis?.start();
    await stack?.stop();
    await redis?.destroy();
  });

  const lines = (p: RunningProcess, pattern: RegExp): string[] => p.output.filter((line) => pattern.test(line));
  const DOWN = /Redis unreachable: no job is added to or taken from the queues/;
  const BACK = /the queues reach Redis again/;

  it('logs one line when Redis goes and one when it is back, in the api and the worker, at each outage', async () => {
    const processes = [stack.api, ...stack.workers];
    for (const p of processes) expect([lines(p, DOWN), lines(p, BACK)]).toEqual([[], []]);

    for (const outage of [1, 2]) {
      await redis.kill();
      await waitFor(async () => processes.every((p) => lines(p, DOWN).length === outage), 10000, 100);
      // Long enough for every connection to fail several reconnection attempts: Bull's retry
      // waits e^n ms, so six attempts by 0.64 s, the seventh at 1.7 s.
      await new Promise((r) => setTimeout(r, 1000));
      for (const p of processes) expect([lines(p, DOWN).length, lines(p, BACK).length]).toEqual([outage, outage - 1]);

      await redis.start();
      await waitFor(async () => processes.every((p) => lines(p, BACK).length === outage), 15000, 100);
      // Past the longest retry delay pending when Redis came back (e^7 ms, 1.1 s): every
      // connection has reconnected by then.
      await new Promise((r) => setTimeout(r, 1500));
      for (const p of processes) expect([lines(p, DOWN).length, lines(p, BACK).length]).toEqual([outage, outage]);
    }
    for (const p of processes) {
      expect(JSON.parse(lines(p, DOWN)[0])).toMatchObject({ level: 40, context: 'Queues', err: expect.stringMatching(/ECONNREFUSED|ECONNRESET/) });
      expect(JSON.parse(lines(p, BACK)[0])).toMatchObject({ level: 30, context: 'Queues' });
      // What Bull reports while its connections retry is the outage's, not an error of a queue of its own.
      expect(lines(p, /"msg":"queue error"|lock could not be renewed/)).toEqual([]);
      expect(p.child.exitCode).toBeNull();
    }
  }, 90000);
});
