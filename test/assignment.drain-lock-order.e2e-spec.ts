import type { QueryRunner } from 'typeorm';
import { MysqlAssignmentRepository } from '../src/modules/conversation/infrastructure/mysql-assignment.repository';
import { startChat } from './support/assignment';
import { clientOf } from './support/client';
import { Stack, waitFor } from './support/stack';

/**
 * A drain that skips a chat held by another assignment transaction must not keep a lock that
 * transaction needs to mark the chat assigned: the drain then waits for that transaction's
 * agent, and each would wait for the other. No worker runs: the test plays both transactions.
 */
describe("a drain beside an assignment transaction holding the queue's oldest chat", () => {
  let stack: Stack;
  const runners: QueryRunner[] = [];

  beforeAll(async () => {
    stack = await Stack.start({ workers: 0 });
    // Starts are refused while no worker is alive: one that never assigns anything stands in.
    await stack.db.query("INSERT INTO worker_heartbeat (worker_id, host, pid, started_at, seen_at) VALUES ('test', 'test', 0, NOW(3), NOW(3) + INTERVAL 1 HOUR)");
  });

  afterAll(async () => {
    for (const runner of runners) if (!runner.isReleased) await runner.release();
    await stack?.stop();
  });

  async function transaction(): Promise<QueryRunner> {
    const runner = stack.db.createQueryRunner();
    runners.push(runner);
    await runner.connect();
    await runner.startTransaction('READ COMMITTED');
    return runner;
  }

  it('takes the next chat, and the transaction holding the oldest assigns it while the drain waits for its agent', async () => {
    const client = await clientOf(stack, '1001');
    const oldest = await startChat(stack, client);
    const next = await startChat(stack, client);
    const [{ agent_id: agentId }] = await stack.db.query('SELECT agent_id FROM agent_queue WHERE queue_id = 1 ORDER BY agent_id LIMIT 1');

    // The assignment transaction: its chat locked by primary key (as lockActivities does), its agent claimed.
    const batch = await transaction();
    await batch.query('SELECT id FROM activity WHERE id IN (?) ORDER BY id FOR UPDATE', [oldest.activityId]);
    await batch.query('UPDATE agent SET active_chats = active_chats + 1 WHERE id = ?', [agentId]);

    // The drain skips the held chat, takes the next one, then waits for the same agent.
    const drain = await transaction();
    const taken = await new MysqlAssignmentRepository({ tx: drain.manager } as never).lockOldestWaiting('1', 3600);
    expect(taken?.activityId).toBe(next.activityId);
    const drainClaim = drain.query('UPDATE agent SET active_chats = active_chats + 1 WHERE id = ?', [agentId]);
    await waitFor(async () => {
      const [{ n }] = await stack.db.query(
        "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND = 'Query' AND INFO LIKE 'UPDATE agent SET active_chats%'",
        [stack.env.DB_NAME],
      );
      return Number(n) === 1;
    }, 10000, 20);

    // Marking the held chat assigned changes its entry in ix_activity_waiting. With the drain
    // holding that entry, InnoDB found a deadlock here and rolled one transaction back.
    await batch.query("UPDATE activity SET state = 'assigned', agent_id = ?, assigned_at = NOW(3) WHERE id = ? AND state = 'waiting'", [agentId, oldest.activityId]);
    await batch.commitTransaction();
    await drainClaim;
    await drain.commitTransaction();
  });
});
