import { lastModified, login, start, startDocument } from './support/client';
import { Stack, waitFor } from './support/stack';

/**
 * More assignment jobs at once than agents: workers skip agents another worker is
 * claiming, and must retry rather than leave the activity waiting while room exists.
 */
describe('parallel claims on a queue with few agents', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ workers: 2, env: { ASSIGNMENT_CONCURRENCY: '8' }, agentCapacity: 1000 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('assigns every one of 60 simultaneous starts to the 2 agents of the queue, within their limits', async () => {
    const token = await login(stack);
    const lm = await lastModified(stack, token);
    const results = await Promise.all(Array.from({ length: 60 }, () => start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    await waitFor(async () => {
      const [row] = await stack.db.query("SELECT COUNT(*) AS n FROM activity WHERE state = 'assigned'");
      return Number(row.n) === 60;
    }, 20000);
    const agents: { id: string; active_chats: number }[] = await stack.db.query('SELECT a.id, a.active_chats FROM agent a JOIN agent_queue q ON q.agent_id = a.id WHERE q.queue_id = 1');
    const perAgent: { agent_id: string; n: string }[] = await stack.db.query("SELECT agent_id, COUNT(*) AS n FROM activity WHERE state = 'assigned' GROUP BY agent_id");
    expect(agents.reduce((sum, a) => sum + a.active_chats, 0)).toBe(60);
    for (const a of agents) expect(Number(perAgent.find((p) => String(p.agent_id) === String(a.id))?.n ?? 0)).toBe(a.active_chats);
  });
});
