import type { QueryRunner } from 'typeorm';
import { agentIdOf, assignmentLedger, startAnonymous, waitForActivity } from '../support/assignment';
import { lockAgents, waitForBlockedClaims, waitForJobFinished } from '../support/assignment-locks';
import { clientOf } from '../support/client';
import { PrivateMariaDb } from '../support/private-services';
import { Stack, waitForOutput } from '../support/stack';

/**
 * An agent row held by another connection for longer than innodb_lock_wait_timeout (a
 * transaction left open by a process that hangs, a long administration change): the claims
 * that need it end in a lock wait timeout. The sweep must still assign the chats of every
 * other queue. A private MariaDB, so the timeout can be set to 2 s.
 */
describe('assignment while an agent row is held past the lock wait timeout', () => {
  const mariadb = new PrivateMariaDb(['--innodb-lock-wait-timeout=2']);
  let stack: Stack;
  let held: QueryRunner | undefined;

  beforeAll(async () => {
    await mariadb.start();
    // The first worker never sweeps: the waiting chats below are left to the second one's sweep alone.
    stack = await Stack.start({ env: { DB_PORT: String(mariadb.port), ASSIGNMENT_RETRY_INTERVAL_MS: '600000' } });
  }, 120000);

  afterAll(async () => {
    if (held) await held.rollbackTransaction().then(() => held!.release(), () => undefined);
    await stack?.stop().catch(() => undefined);
    await mariadb.destroy();
  });

  /** A chat of the entry point left waiting: its agents are held, then made unavailable, while its job claims. */
  async function waitingChat(entryPointId: string, agentIds: string[]): Promise<string> {
    const client = await clientOf(stack, entryPointId);
    const lock = await lockAgents(stack, agentIds);
    let conversationId: string;
    try {
      const res = await startAnonymous(stack, client);
      expect(res.status).toBe(200);
      conversationId = res.body.conversation.id;
      await waitForBlockedClaims(stack, 1);
      await lock.runner.query(`UPDATE agent SET availability = 'not_available' WHERE id IN (${agentIds.map(() => '?').join(',')})`, agentIds);
    } finally {
      await lock.finish(true);
    }
    const activity = await waitForActivity(stack, conversationId, () => true);
    await waitForJobFinished(stack, 'assignment', `assign:${activity.id}`);
    expect((await waitForActivity(stack, conversationId, () => true)).state).toBe('waiting');
    return conversationId;
  }

  it('assigns the waiting chats of the other queues while one queue\'s claim times out', async () => {
    const sales = [await agentIdOf(stack, 'alice'), await agentIdOf(stack, 'bob')];
    const support = [await agentIdOf(stack, 'carol')];
    const salesChat = await waitingChat('1001', sales);
    const supportChat = await waitingChat('1002', support);

    // Both queues have an agent again (changed behind the platform's back: no drain is asked
    // for, only a sweep can find them), but the sales agents' rows stay held.
    await stack.db.query(`UPDATE agent SET availability = 'available' WHERE id IN (?, ?, ?)`, [...sales, ...support]);
    held = stack.db.createQueryRunner();
    await held.connect();
    // READ COMMITTED: the scan keeps the locks of the rows it selects only, not the support agent's.
    await held.startTransaction('READ COMMITTED');
    await held.query('SELECT id FROM agent WHERE id IN (?, ?) FOR UPDATE', sales.map(Number));

    const sweeper = await stack.startWorker({ ASSIGNMENT_RETRY_INTERVAL_MS: '500', LOG_LEVEL: 'info' });
    // The sales queue, swept first, fails on its held agents every round, and the support
    // queue is swept all the same.
    const assigned = await waitForActivity(stack, supportChat, (a) => a.state === 'assigned', 15000);
    expect(String(assigned.agent_id)).toBe(support[0]);
    await waitForOutput(sweeper, /"queueId":"1".*"msg":"assignment sweep of a queue failed/, 5000);
    expect((await waitForActivity(stack, salesChat, () => true)).state).toBe('waiting');

    await held.rollbackTransaction();
    await held.release();
    held = undefined;
    await waitForActivity(stack, salesChat, (a) => a.state === 'assigned', 10000);
    const ledger = await assignmentLedger(stack);
    expect(ledger.byState).toEqual({ assigned: 2 });
    expect(ledger.duplicateAssigned).toEqual([]);
    expect(ledger.counterMismatch).toEqual([]);
  }, 120000);
});
