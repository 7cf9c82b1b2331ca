import { agentIdOf, startChat, waitForActivity } from './support/assignment';
import { clientOf } from './support/client';
import { receiveCallbacks } from './support/messaging';
import { Stack } from './support/stack';
import type { WebhookReceiver } from './support/webhook-receiver';

/**
 * The chats are started while no worker runs (a heartbeat row of the test's lets the api accept
 * them) and carol, the queue's only agent, is made unavailable before the workers start: every
 * chat then waits past the maximum wait, whichever worker's job or sweep reaches it first.
 * Two workers sweep the same queues every 100 ms or so, both ending the same overdue
 * conversations: each conversation is ended once, with one `noAgentAvailable` and one
 * `complete`, each delivered once.
 */
describe('maximum wait with two workers', () => {
  const CHATS = 6;
  let stack: Stack;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    stack = await Stack.start({ workers: 0, env: { ASSIGNMENT_MAX_WAIT_SECONDS: '2', ASSIGNMENT_RETRY_INTERVAL_MS: '100' } });
    receiver = await receiveCallbacks(stack);
  }, 90000);

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  it('ends each overdue conversation once: one noAgentAvailable and one complete, each delivered once', async () => {
    await stack.db.query("INSERT INTO worker_heartbeat (worker_id, host, pid, started_at, seen_at) VALUES ('test', 'test', 0, NOW(3), NOW(3) + INTERVAL 1 HOUR)");
    const client = await clientOf(stack, '1002');
    const chats = [];
    for (let i = 0; i < CHATS; i++) chats.push(await startChat(stack, client));
    await stack.db.query("DELETE FROM worker_heartbeat WHERE worker_id = 'test'");
    await stack.db.query("UPDATE agent SET availability = 'not_available' WHERE id = ?", [await agentIdOf(stack, 'carol')]);
    await Promise.all([stack.startWorker(), stack.startWorker()]);
    const ids = chats.map((c) => c.conversationId);
    for (const id of ids) await waitForActivity(stack, id, (a) => a.state === 'unassigned', 15000);
    for (const id of ids) await receiver.deliveredUntilComplete(id);
    // Both workers keep sweeping: a second ending would come within a few of their rounds.
    await new Promise((r) => setTimeout(r, 1000));

    const events: { conversation_id: string; type: string; n: string }[] = await stack.db.query(
      `SELECT conversation_id, type, COUNT(*) AS n FROM message WHERE conversation_id IN (${ids.map(() => '?').join(',')}) GROUP BY conversation_id, type ORDER BY conversation_id, type`,
      ids,
    );
    expect(events.map((e) => [e.conversation_id, e.type, Number(e.n)])).toEqual(
      [...ids].sort().flatMap((id) => [[id, 'complete', 1], [id, 'noAgentAvailable', 1]]),
    );
    for (const id of ids) expect(receiver.delivered(id).map((m) => m.type.value)).toEqual(['noAgentAvailable', 'complete']);
  }, 60000);
});
