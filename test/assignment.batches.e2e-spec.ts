import { assignmentLedger, eventsOf, startAnonymous, waitForActivity } from './support/assignment';
import { jobsTaken, lockAgents, waitForBlockedClaims } from './support/assignment-locks';
import { clientOf } from './support/client';
import { Stack, waitFor } from './support/stack';

/**
 * A worker's assignment jobs share transactions: jobs that arrive while its transactions run
 * go together into the next one. The agents of queue 1 are held locked by the test so that
 * the worker's two transactions wait on them while more jobs arrive.
 */
interface Chat {
  conversationId: string;
  activityId: string;
}

describe('assignment jobs sharing a transaction', () => {
  let stack: Stack;
  let client: { token: string; lm: string; entryPointId: string };
  let agentIds: string[];

  beforeAll(async () => {
    stack = await Stack.start({ env: { ASSIGNMENT_CONCURRENCY: '8', ASSIGNMENT_RETRY_INTERVAL_MS: '600000', LOG_LEVEL: 'debug' }, agentCapacity: 100 });
    client = await clientOf(stack, '1001');
    agentIds = (await stack.db.query('SELECT agent_id FROM agent_queue WHERE queue_id = 1')).map((r: { agent_id: string }) => String(r.agent_id));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** Starts chats one after another; returns their conversation and activity ids. */
  async function startChats(count: number): Promise<Chat[]> {
    const chats = [];
    for (let i = 0; i < count; i++) {
      const res = await startAnonymous(stack, client);
      expect(res.status).toBe(200);
      const activity = await waitForActivity(stack, res.body.conversation.id, () => true);
      chats.push({ conversationId: res.body.conversation.id as string, activityId: String(activity.id) });
    }
    return chats;
  }

  /** Waits until these jobs have reached the worker's processor, where they wait for a transaction. */
  async function heldByWorker(activityIds: string[]): Promise<void> {
    await jobsTaken(stack.workers[0], activityIds);
  }

  /**
   * Holds the queue's agents while two chats occupy the worker's two transactions (both wait
   * for an agent row) and `count` more arrive, runs `meanwhile`, and lets go once the worker
   * holds every job: the `count` jobs then share the next transaction.
   */
  async function pileUp(count: number, meanwhile: (chats: Chat[]) => Promise<void> = async () => undefined): Promise<Chat[]> {
    const lock = await lockAgents(stack, agentIds);
    try {
      await startChats(2);
      await waitForBlockedClaims(stack, 2);
      const chats = await startChats(count);
      await meanwhile(chats);
      await heldByWorker(chats.map((c) => c.activityId));
      return chats;
    } finally {
      await lock.finish(true);
    }
  }

  async function batchOf(activityId: string): Promise<number> {
    const value = await waitFor(() => stack.redis.hget(`${stack.env.REDIS_PREFIX}:assignment:assign:${activityId}`, 'returnvalue'), 10000, 20);
    return JSON.parse(value).batch;
  }

  it('assigns the jobs that waited together, in one transaction, each once and within the limits', async () => {
    const waited = await pileUp(5);
    for (const chat of waited) {
      expect((await waitForActivity(stack, chat.conversationId, (a) => a.state === 'assigned')).state).toBe('assigned');
      expect(await batchOf(chat.activityId)).toBe(5);
      expect((await eventsOf(stack, chat.conversationId)).filter((e) => e.type === 'assigned')).toHaveLength(1);
    }
    const ledger = await assignmentLedger(stack);
    expect(ledger).toMatchObject({ byState: { assigned: ledger.activities }, duplicateAssigned: [], mismatchedAgent: [], counterMismatch: [] });
  });

  it('when one activity of a shared transaction fails, assigns the others in that transaction; the failing one is tried again later', async () => {
    // Recording the 'assigned' event of the middle chat fails, as a row the database rejects would.
    const chats = await pileUp(3, (piled) =>
      stack.db.query(
        `CREATE TRIGGER refuse_one_event BEFORE INSERT ON message FOR EACH ROW
           IF NEW.conversation_id = '${piled[1].conversationId}' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'; END IF`,
      ),
    );
    for (const i of [0, 2]) {
      await waitForActivity(stack, chats[i].conversationId, (a) => a.state === 'assigned');
      expect(await batchOf(chats[i].activityId)).toBe(3);
    }
    // Its job is done, reporting the failure; the chat waits, left out for one sweep period (10 min here).
    await batchOf(chats[1].activityId);
    const [job] = await stack.redis.hmget(`${stack.env.REDIS_PREFIX}:assignment:assign:${chats[1].activityId}`, 'returnvalue');
    expect(JSON.parse(job!)).toMatchObject({ outcome: 'failed', reason: 'refused by the test', failures: 1, batch: 3 });
    const [row] = await stack.db.query('SELECT state, assignment_failures FROM activity WHERE id = ?', [chats[1].activityId]);
    expect([row.state, Number(row.assignment_failures)]).toEqual(['waiting', 1]);
    expect(stack.workers[0].output.some((l) => l.includes('assignment batch failed'))).toBe(false);

    await stack.db.query('DROP TRIGGER refuse_one_event');
    // Its back-off moved forward instead of waited for: the next chat's first attempt serves it first.
    await stack.db.query('UPDATE activity SET assignment_retry_at = NOW(3) WHERE id = ?', [chats[1].activityId]);
    await startChats(1);
    await waitForActivity(stack, chats[1].conversationId, (a) => a.state === 'assigned', 15000);
    const ledger = await assignmentLedger(stack);
    expect(ledger).toMatchObject({ byState: { assigned: ledger.activities }, duplicateAssigned: [], mismatchedAgent: [], counterMismatch: [] });
  });
});
