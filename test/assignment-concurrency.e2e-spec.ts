import { clientOf, customerWithEmail, start, startDocument, uniqueEmail } from './support/client';
import { Stack, waitFor } from './support/stack';

/**
 * Many starts at once on one queue with two workers: every activity is assigned while
 * agents have room (concurrent assignments must not turn "agent row busy" into
 * "no agent"), and no agent ever goes over its limit.
 */
describe('assignment under concurrent starts', () => {
  let stack: Stack;
  let token: string;
  let lm: string;

  beforeAll(async () => {
    stack = await Stack.start({ workers: 2 });
    ({ token, lm } = await clientOf(stack));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function startMany(n: number): Promise<string[]> {
    const answers = await Promise.all(Array.from({ length: n }, () =>
      start(stack, startDocument(lm, { customer: customerWithEmail(uniqueEmail('conc')) }), { token, query: 'searchContactOnAttribute=email.emailAddress' })));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    return answers.map((a) => a.body.conversation.activity.id as string);
  }

  async function waitUntilSettled(ids: string[]): Promise<{ state: string; agent_id: string | null }[]> {
    const placeholders = ids.map(() => '?').join(',');
    return waitFor(async () => {
      const rows: { state: string; agent_id: string | null }[] = await stack.db.query(`SELECT state, agent_id FROM activity WHERE id IN (${placeholders})`, ids);
      return rows.every((r) => r.state === 'assigned') ? rows : undefined;
    }, 20000);
  }

  it('assigns every one of 40 simultaneous starts when the agents have room', async () => {
    await stack.db.query('UPDATE agent SET max_chats = 100, active_chats = 0');
    const ids = await startMany(40);
    const rows = await waitUntilSettled(ids);
    expect(rows).toHaveLength(40);
    const [load] = await stack.db.query("SELECT SUM(active_chats) AS n FROM agent a JOIN agent_queue q ON q.agent_id = a.id WHERE q.queue_id = 1");
    expect(Number(load.n)).toBe(40);
  });

  it('fills the agents exactly up to their limit and never above', async () => {
    await stack.db.query("UPDATE activity SET state = 'completed'");
    await stack.db.query('UPDATE agent SET max_chats = 3, active_chats = 0');
    const ids = await startMany(6);
    const rows = await waitUntilSettled(ids);
    const perAgent = new Map<string, number>();
    for (const r of rows) perAgent.set(String(r.agent_id), (perAgent.get(String(r.agent_id)) ?? 0) + 1);
    expect([...perAgent.values()].sort()).toEqual([3, 3]);
    const agents: { active_chats: number; max_chats: number }[] = await stack.db.query('SELECT a.active_chats, a.max_chats FROM agent a JOIN agent_queue q ON q.agent_id = a.id WHERE q.queue_id = 1');
    expect(agents.every((a) => Number(a.active_chats) === Number(a.max_chats))).toBe(true);
  });
});
