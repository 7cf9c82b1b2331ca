import { agentLogin, eventsOf, startChat, waitForActivity, type ActivityRow, type AgentSession } from './support/assignment';
import { chatsLeftWaiting } from './support/assignment-locks';
import { clientOf } from './support/client';
import { receiveCallbacks } from './support/messaging';
import { freePort } from './support/private-services';
import { Stack, waitFor } from './support/stack';
import type { WebhookReceiver } from './support/webhook-receiver';

/**
 * An overdue conversation whose ending keeps failing for a reason of its own (here a trigger of
 * the test's database that refuses to mark a chat with the subject "poison" unassigned) costs
 * only itself: the sweep ends the other overdue conversations of its queue, newer than it, and
 * their client application is told, while it is left out for a while after each failure and
 * ended once it can be, exactly once. Queue 2 (carol alone, not available: nothing is assigned).
 */
const POISON = 'poison';

interface ExpiryRow extends ActivityRow {
  expiry_failures: number;
  due: number;
}

describe('an overdue conversation that cannot be ended', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let carol: AgentSession;
  let client: { token: string; lm: string; entryPointId: string };
  let metricsPort: number;

  beforeAll(async () => {
    metricsPort = await freePort();
    stack = await Stack.start({ env: { ASSIGNMENT_MAX_WAIT_SECONDS: '2', ASSIGNMENT_RETRY_INTERVAL_MS: '300', WORKER_HEALTH_PORT: String(metricsPort) } });
    // Events are queued for delivery only to an application with a callback URL.
    receiver = await receiveCallbacks(stack);
    carol = await agentLogin(stack, 'carol');
    client = await clientOf(stack, '1002');
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  async function expiryOf(conversationId: string): Promise<ExpiryRow> {
    const [row] = await stack.db.query(
      'SELECT id, state, agent_id, expiry_failures, expiry_retry_at > NOW(3) AS due FROM activity WHERE conversation_id = ?',
      [conversationId],
    );
    return { ...row, expiry_failures: Number(row.expiry_failures), due: Number(row.due) };
  }

  /** Chats whose first attempt found carol not available: they wait, until the maximum wait ends them. */
  async function waitingChats(subjects: string[]): Promise<{ conversationId: string; activityId: string }[]> {
    await stack.db.query("UPDATE agent SET availability = 'available', max_chats = 3, active_chats = 0 WHERE id = ?", [carol.userId]);
    return chatsLeftWaiting(stack, [carol.userId], subjects.map((subject) => () => startChat(stack, client, { subject })), (runner) =>
      runner.query("UPDATE agent SET availability = 'not_available' WHERE id = ?", [carol.userId]),
    );
  }

  it('does not keep a newer overdue conversation of its queue from being ended and its application told; it is ended once it can be, once', async () => {
    await stack.db.query(
      `CREATE TRIGGER poisoned_expiry BEFORE UPDATE ON activity FOR EACH ROW
         IF NEW.state = 'unassigned' AND NEW.subject = '${POISON}' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'this conversation cannot be ended'; END IF`,
    );
    const [poisoned, newer] = await waitingChats([POISON, 'newer']);
    expect((await expiryOf(poisoned.conversationId)).state).toBe('waiting');

    // The newer one is ended by the sweep and its application told, though the older one fails before it.
    await waitForActivity(stack, newer.conversationId, (a) => a.state === 'unassigned', 8000);
    expect((await eventsOf(stack, newer.conversationId)).map((e) => e.type)).toEqual(['noAgentAvailable', 'complete']);
    const told = await receiver.deliveredUntilComplete(newer.conversationId);
    expect(told.map((m) => m.type.value)).toEqual(['noAgentAvailable', 'complete']);

    // The failing one: still waiting, nothing recorded for it, left out until its retry time.
    const failing = await expiryOf(poisoned.conversationId);
    expect(failing).toMatchObject({ state: 'waiting' });
    expect(failing.expiry_failures).toBeGreaterThanOrEqual(1);
    expect(await eventsOf(stack, poisoned.conversationId)).toEqual([]);
    const [{ correlation_id: poisonedCorrelation }] = await stack.db.query('SELECT correlation_id FROM conversation WHERE id = ?', [poisoned.conversationId]);
    // The worker's log reaches the test through a pipe, apart from what it writes to the database.
    const logged = await waitFor(async () => stack.workers[0].output.find((l) => l.includes('ending of an overdue conversation failed') && l.includes(`"correlationId":"${poisonedCorrelation}"`)), 5000);
    expect(JSON.parse(logged!)).toMatchObject({ level: 50, activityId: poisoned.activityId, failures: 1, err: 'this conversation cannot be ended' });
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(Number(/^expiry_failures_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);

    // Backed off, not tried at every sweep (every 300 ms): after the third failure it waits 1.2 s.
    const third = await waitFor(async () => {
      const row = await expiryOf(poisoned.conversationId);
      return row.expiry_failures >= 3 && row;
    }, 8000);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await expiryOf(poisoned.conversationId)).expiry_failures).toBeLessThanOrEqual(third.expiry_failures + 1);

    await stack.db.query('DROP TRIGGER poisoned_expiry');
    await waitForActivity(stack, poisoned.conversationId, (a) => a.state === 'unassigned', 15000);
    expect((await eventsOf(stack, poisoned.conversationId)).map((e) => e.type)).toEqual(['noAgentAvailable', 'complete']);
    const [{ n }] = await stack.db.query("SELECT COUNT(*) AS n FROM outbox WHERE topic = 'webhook/deliver-event' AND JSON_VALUE(payload, '$.conversationId') = ?", [poisoned.conversationId]);
    expect(Number(n)).toBe(2);
    await receiver.waitFor(() => receiver.delivered(poisoned.conversationId).some((m) => m.type.value === 'complete'));
    // A few more sweeps: nothing more for either conversation.
    await new Promise((r) => setTimeout(r, 1000));
    expect(receiver.delivered(poisoned.conversationId).map((m) => m.type.value)).toEqual(['noAgentAvailable', 'complete']);
    expect(receiver.delivered(newer.conversationId).map((m) => m.type.value)).toEqual(['noAgentAvailable', 'complete']);
    expect((await eventsOf(stack, poisoned.conversationId)).map((e) => e.type)).toEqual(['noAgentAvailable', 'complete']);
  });
});
