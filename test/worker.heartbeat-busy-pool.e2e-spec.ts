import type { QueryRunner } from 'typeorm';
import { addAgents, startAnonymous } from './support/assignment';
import { clientOf } from './support/client';
import { Stack, waitFor } from './support/stack';

const TTL_MS = 3000;

/**
 * A worker whose every pooled connection is held by assignment jobs waiting on a lock still
 * sends its heartbeats: the start API must not take a busy worker for a dead one and refuse
 * starts (400-140) exactly when load is high. The worker's pool has two connections, as many
 * as its assignment transactions; the test holds a gap lock at the end of the message table,
 * on which each assignment transaction then waits with its connection (as in assignment.crash).
 */
describe('heartbeats of a worker whose pool is taken by jobs', () => {
  let stack: Stack;
  let client: Awaited<ReturnType<typeof clientOf>>;
  let hold: QueryRunner | undefined;

  beforeAll(async () => {
    stack = await Stack.start({ workers: 0, env: { WORKER_HEARTBEAT_INTERVAL_MS: '500', WORKER_HEARTBEAT_TTL_MS: String(TTL_MS) } });
    await stack.startWorker({ DB_POOL_SIZE: '2' });
    await stack.db.query("UPDATE agent SET availability = 'not_available'");
    await addAgents(stack, '1', Array.from({ length: 10 }, (_, i) => ({ username: `agent${i}`, maxChats: 50 })));
    client = await clientOf(stack, '1001');
  });

  afterAll(async () => {
    // A failed test must not leave its lock behind (the database could not be dropped).
    await release();
    await stack?.stop();
  });

  async function release(): Promise<void> {
    const runner = hold;
    hold = undefined;
    if (!runner) return;
    await runner.rollbackTransaction();
    await runner.release();
  }

  /** The worker's statements waiting on a lock: each holds one of its pooled connections. */
  async function workerLockWaits(): Promise<number> {
    const [{ n }] = await stack.db.query(
      `SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
        WHERE t.trx_state = 'LOCK WAIT' AND p.DB = ?`,
      [stack.name],
    );
    return Number(n);
  }

  const heartbeatAgeMs = async (): Promise<number> =>
    Number((await stack.db.query('SELECT TIMESTAMPDIFF(MICROSECOND, MAX(seen_at), NOW(3)) / 1000 AS age FROM worker_heartbeat'))[0].age);

  it('keeps its heartbeat fresh and starts accepted while every pooled connection waits on a lock', async () => {
    hold = stack.db.createQueryRunner();
    await hold.connect();
    await hold.startTransaction();
    await hold.query('SELECT seq FROM message WHERE seq > (SELECT COALESCE(MAX(seq), 0) FROM message) FOR UPDATE');

    for (let i = 0; i < 6; i++) expect((await startAnonymous(stack, client)).status).toBe(200);
    await waitFor(async () => (await workerLockWaits()) >= 2, 15000, 50);

    // Longer than the TTL with both connections held: a heartbeat waiting for one is stale by now.
    await new Promise((r) => setTimeout(r, TTL_MS + 1000));
    const res = await startAnonymous(stack, client);
    const age = await heartbeatAgeMs();
    expect(await workerLockWaits()).toBeGreaterThanOrEqual(2);
    expect({ status: res.status, code: res.body?.code, heartbeatFresh: age < TTL_MS }).toEqual({ status: 200, code: undefined, heartbeatFresh: true });

    await release();
    await waitFor(async () => {
      const [{ total, assigned }] = await stack.db.query("SELECT COUNT(*) AS total, SUM(state = 'assigned') AS assigned FROM activity");
      return Number(total) === 7 && Number(assigned) === 7;
    }, 30000, 100);
  }, 60000);
});
