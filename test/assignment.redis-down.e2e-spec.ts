import { agentIdOf, assignmentLedger, startAnonymous } from './support/assignment';
import { clientOf } from './support/client';
import { PrivateRedis } from './support/private-services';
import { Stack, waitFor } from './support/stack';

/**
 * Redis goes down (a private redis-server, killed) while starts keep coming, and comes
 * back empty. Worker heartbeats live in MySQL, so the start API keeps accepting; each
 * start's outbox row waits in MySQL until Redis is back, then the relay puts it on the
 * queue. Jobs that were in Redis when it died are gone: the sweep reassigns their
 * activities from MySQL.
 */
describe('Redis down while starts continue', () => {
  let redis: PrivateRedis;
  let stack: Stack;

  beforeAll(async () => {
    redis = new PrivateRedis();
    await redis.start();
    stack = await Stack.start({ workers: 2, env: { REDIS_PORT: String(redis.port), ASSIGNMENT_RETRY_INTERVAL_MS: '2000' } });
    await stack.db.query('UPDATE agent SET max_chats = 500 WHERE id IN (?, ?)', [await agentIdOf(stack, 'alice'), await agentIdOf(stack, 'bob')]);
  });

  afterAll(async () => {
    await redis?.start();
    await stack?.stop();
    await redis?.destroy();
  });

  const dbNow = async (): Promise<string> => (await stack.db.query('SELECT NOW(3) AS now'))[0].now;

  it('keeps accepting starts, never hangs a request, and assigns every committed activity once Redis is back', async () => {
    const client = await clientOf(stack, '1001');
    const results: { status: number; ms: number; at: number }[] = [];
    let running = true;
    const starters = Array.from({ length: 4 }, async () => {
      while (running) {
        const t = Date.now();
        const res = await startAnonymous(stack, client);
        results.push({ status: res.status, ms: Date.now() - t, at: t });
        await new Promise((r) => setTimeout(r, 20));
      }
    });

    await new Promise((r) => setTimeout(r, 1000));
    await redis.kill();
    const downAt = Date.now();
    const dbDownAt = await dbNow();
    await new Promise((r) => setTimeout(r, 4000));
    const dbUpAt = await dbNow();
    await redis.start();
    const upAt = Date.now();
    await new Promise((r) => setTimeout(r, 1000));
    running = false;
    await Promise.all(starters);

    const during = results.filter((r) => r.at > downAt && r.at + r.ms < upAt);
    expect(during.length).toBeGreaterThan(10);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    // The fast path is fire-and-forget and skipped while Redis is away: no request waits for Redis.
    expect(Math.max(...during.map((r) => r.ms))).toBeLessThan(5000);

    // Rows committed while Redis was down stayed in MySQL: neither the fast path nor the relay
    // claimed them delivered before Redis was back.
    const [{ committedWhileDown }] = await stack.db.query(
      "SELECT COUNT(*) AS committedWhileDown FROM outbox WHERE topic = 'assignment/assign-activity' AND created_at > ? + INTERVAL 0.5 SECOND AND created_at < ?",
      [dbDownAt, dbUpAt],
    );
    expect(Number(committedWhileDown)).toBeGreaterThan(10);
    const [{ relayedEarly }] = await stack.db.query(
      "SELECT COUNT(*) AS relayedEarly FROM outbox WHERE topic = 'assignment/assign-activity' AND created_at > ? + INTERVAL 0.5 SECOND AND created_at < ? AND relayed_at < ?",
      [dbDownAt, dbUpAt, dbUpAt],
    );
    expect(Number(relayedEarly)).toBe(0);

    await waitFor(async () => {
      const [{ pending }] = await stack.db.query("SELECT COUNT(*) AS pending FROM activity WHERE state <> 'assigned'");
      return Number(pending) === 0;
    }, 30000, 100);
    await waitFor(async () => {
      const [{ pending }] = await stack.db.query('SELECT COUNT(*) AS pending FROM outbox WHERE relayed_at IS NULL');
      return Number(pending) === 0;
    }, 30000, 100);

    const ledger = await assignmentLedger(stack);
    expect(ledger.activities).toBe(results.length);
    expect(ledger.byState).toEqual({ assigned: results.length });
    expect(ledger.duplicateAssigned).toEqual([]);
    expect(ledger.mismatchedAgent).toEqual([]);
    expect(ledger.counterMismatch).toEqual([]);
    // The processes rode it out.
    for (const p of [stack.api, ...stack.workers]) expect(p.child.exitCode).toBeNull();
    console.log(JSON.stringify({ starts: results.length, duringOutage: during.length, slowestDuringOutageMs: Math.max(...during.map((r) => r.ms)) }));
  }, 90000);
});
