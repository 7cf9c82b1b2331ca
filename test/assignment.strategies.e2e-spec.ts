import { addAgents, agentIdOf, startAnonymous, waitForActivity } from './support/assignment';
import { clientOf } from './support/client';
import { Stack } from './support/stack';

/**
 * The queue's strategy decides which free agent gets the next chat. Both queues start
 * from the same state: three agents with 5 slots; A has 2 chats and was assigned longest
 * ago, B has none and was assigned most recently, C has 1 and sits in between.
 *   least_loaded (open / limit, then longest since an assignment): B, C, B, A
 *   round_robin  (longest since an assignment, load ignored):      A, C, B, A
 */
describe('assignment strategies', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ env: { ASSIGNMENT_RETRY_INTERVAL_MS: '600000' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function prepare(queueId: string, agents: [string, string, string]): Promise<void> {
    const [a, b, c] = agents;
    const state: [string, number, string][] = [
      [a, 2, '2020-01-01 00:00:01.000'],
      [b, 0, '2020-01-01 00:00:03.000'],
      [c, 1, '2020-01-01 00:00:02.000'],
    ];
    for (const [id, active, last] of state) {
      await stack.db.query("UPDATE agent SET max_chats = 5, active_chats = ?, last_assigned_at = ?, availability = 'available' WHERE id = ?", [active, last, id]);
    }
    const [{ n }] = await stack.db.query('SELECT COUNT(*) AS n FROM agent_queue WHERE queue_id = ?', [queueId]);
    expect(Number(n)).toBe(3);
  }

  /** Starts chats one at a time and returns who got each. */
  async function sequence(entryPointId: string, count: number, names: Record<string, string>): Promise<string[]> {
    const client = await clientOf(stack, entryPointId);
    const got: string[] = [];
    for (let i = 0; i < count; i++) {
      const res = await startAnonymous(stack, client);
      expect(res.status).toBe(200);
      const a = await waitForActivity(stack, res.body.conversation.id, (x) => x.state === 'assigned');
      got.push(names[String(a.agent_id)]);
    }
    return got;
  }

  it('least_loaded and round_robin give different agent orders from the same state', async () => {
    const strategies = await stack.db.query('SELECT strategy FROM chat_queue WHERE id IN (1, 2) ORDER BY id');
    expect(strategies.map((q: { strategy: string }) => q.strategy)).toEqual(['least_loaded', 'round_robin']);

    const [dave] = await addAgents(stack, '1', [{ username: 'dave', maxChats: 5 }]);
    const [erin, frank] = await addAgents(stack, '2', [{ username: 'erin', maxChats: 5 }, { username: 'frank', maxChats: 5 }]);
    const q1: [string, string, string] = [await agentIdOf(stack, 'alice'), await agentIdOf(stack, 'bob'), dave];
    const q2: [string, string, string] = [await agentIdOf(stack, 'carol'), erin, frank];
    await prepare('1', q1);
    await prepare('2', q2);

    const leastLoaded = await sequence('1001', 4, { [q1[0]]: 'A', [q1[1]]: 'B', [q1[2]]: 'C' });
    const roundRobin = await sequence('1002', 4, { [q2[0]]: 'A', [q2[1]]: 'B', [q2[2]]: 'C' });
    expect(leastLoaded).toEqual(['B', 'C', 'B', 'A']);
    expect(roundRobin).toEqual(['A', 'C', 'B', 'A']);
  });

  it('switching a queue to the other strategy switches the order', async () => {
    const q1: [string, string, string] = [await agentIdOf(stack, 'alice'), await agentIdOf(stack, 'bob'), await agentIdOf(stack, 'dave')];
    await stack.db.query("UPDATE chat_queue SET strategy = 'round_robin' WHERE id = 1");
    await prepare('1', q1);
    expect(await sequence('1001', 4, { [q1[0]]: 'A', [q1[1]]: 'B', [q1[2]]: 'C' })).toEqual(['A', 'C', 'B', 'A']);
  });

  it('least_loaded weighs the chats an agent has against its limit, not their number alone', async () => {
    const [a, b, c] = [await agentIdOf(stack, 'alice'), await agentIdOf(stack, 'bob'), await agentIdOf(stack, 'dave')];
    await stack.db.query("UPDATE chat_queue SET strategy = 'least_loaded' WHERE id = 1");
    // A 2 of 10, C 3 of 10, B 1 of 2 and assigned longest ago: by number alone B, A, C.
    const state: [string, number, number, string][] = [
      [a, 2, 10, '2020-01-01 00:00:02.000'],
      [b, 1, 2, '2020-01-01 00:00:01.000'],
      [c, 3, 10, '2020-01-01 00:00:03.000'],
    ];
    for (const [id, active, max, last] of state) {
      await stack.db.query("UPDATE agent SET max_chats = ?, active_chats = ?, last_assigned_at = ?, availability = 'available' WHERE id = ?", [max, active, last, id]);
    }
    // 0.2 → A (then 0.3); A and C at 0.3 → C, assigned longer ago (then 0.4); A at 0.3 → A.
    expect(await sequence('1001', 3, { [a]: 'A', [b]: 'B', [c]: 'C' })).toEqual(['A', 'C', 'A']);
  });
});
