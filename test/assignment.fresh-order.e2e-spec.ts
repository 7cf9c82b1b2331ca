import { addAgents, agentIdOf, startAnonymous, waitForActivity } from './support/assignment';
import { jobsTaken, lockAgents, waitForBlockedClaims } from './support/assignment-locks';
import { clientOf } from './support/client';
import { Stack, waitFor } from './support/stack';

/**
 * Each claim of a shared assignment transaction orders the queue's agents by what is
 * committed when it reads them, not by what was committed when the transaction's first
 * claim read them: another transaction's assignments in between count.
 */
describe('the claims of a shared assignment transaction', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ env: { ASSIGNMENT_CONCURRENCY: '8', ASSIGNMENT_RETRY_INTERVAL_MS: '600000', LOG_LEVEL: 'debug' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function startChat(entryPointId: string): Promise<{ conversationId: string; activityId: string }> {
    const res = await startAnonymous(stack, await clientOf(stack, entryPointId));
    expect(res.status).toBe(200);
    const activity = await waitForActivity(stack, res.body.conversation.id, () => true);
    return { conversationId: res.body.conversation.id as string, activityId: String(activity.id) };
  }

  it('least_loaded: the second chat of a batch goes by the loads committed meanwhile', async () => {
    const [a, b] = [await agentIdOf(stack, 'alice'), await agentIdOf(stack, 'bob')];
    const [c] = await addAgents(stack, '1', [{ username: 'claire', maxChats: 10 }]);
    const queue2 = (await stack.db.query('SELECT agent_id FROM agent_queue WHERE queue_id = 2')).map((r: { agent_id: string }) => String(r.agent_id));
    await stack.db.query("UPDATE agent SET availability = 'available', max_chats = 10, active_chats = 0, last_assigned_at = '2020-01-01 00:00:01.000' WHERE id IN (?, ?)", [a, b]);
    await stack.db.query("UPDATE agent SET last_assigned_at = '2020-01-01 00:00:02.000' WHERE id = ?", [b]);
    await stack.db.query("UPDATE agent SET active_chats = 1, last_assigned_at = '2020-01-01 00:00:03.000' WHERE id = ?", [c]);

    // The worker's two transactions wait on queue 2's agents while two chats of queue 1 arrive.
    const hold2 = await lockAgents(stack, queue2);
    const first = [await startChat('1002'), await startChat('1002')];
    await waitForBlockedClaims(stack, 2);
    const x = await startChat('1001');
    const y = await startChat('1001');
    await jobsTaken(stack.workers[0], [x.activityId, y.activityId]);

    // Queue 1's agents held: the shared transaction of x and y reads them, then waits on A.
    // Row by row, by primary key: a scan of the small table would also wait for queue 2's agent.
    const hold1 = stack.db.createQueryRunner();
    await hold1.connect();
    await hold1.startTransaction();
    for (const id of [a, b, c]) await hold1.query('SELECT id FROM agent WHERE id = ? FOR UPDATE', [id]);
    await hold2.finish(true);
    for (const chat of first) await waitForActivity(stack, chat.conversationId, (s) => s.state === 'assigned');
    await waitForBlockedClaims(stack, 1);
    // Meanwhile B takes five chats (as another worker's assignments would): the fullest by far.
    await hold1.query('UPDATE agent SET active_chats = 5 WHERE id = ?', [b]);
    await hold1.commitTransaction();
    await hold1.release();

    const gotX = await waitForActivity(stack, x.conversationId, (s) => s.state === 'assigned');
    const gotY = await waitForActivity(stack, y.conversationId, (s) => s.state === 'assigned');
    const batch = JSON.parse(await waitFor(() => stack.redis.hget(`${stack.env.REDIS_PREFIX}:assignment:assign:${y.activityId}`, 'returnvalue'), 10000, 20)).batch;
    expect(batch).toBe(2);
    expect(String(gotX.agent_id)).toBe(a);
    // A 1/10, B 5/10, C 1/10 (A assigned last): C. A snapshot from before B's five chats says B 0/10.
    expect(String(gotY.agent_id)).toBe(c);
  });
});
