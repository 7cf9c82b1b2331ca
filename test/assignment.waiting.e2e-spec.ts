import { agentCall, agentLogin, eventsOf, startAnonymous, startChat, waitForActivity, type AgentSession } from './support/assignment';
import { chatsLeftWaiting } from './support/assignment-locks';
import { clientOf } from './support/client';
import { getConversation, message, receiveCallbacks, sendMessage } from './support/messaging';
import { Stack } from './support/stack';
import type { WebhookReceiver } from './support/webhook-receiver';

/**
 * Retain and retry on queue 2 (carol alone). A chat that finds no free agent waits; the
 * start API still accepts it when carol looks free, so the test makes that happen on
 * purpose: carol's row is held locked while the chats' assignments wait for it, and the
 * test fills her up in that same transaction before letting them go on.
 */
async function waitingChats(stack: Stack, carol: AgentSession, count: number, fill: string): Promise<string[]> {
  const client = await clientOf(stack, '1002');
  const starts = Array.from({ length: count }, () => () => startChat(stack, client));
  const chats = await chatsLeftWaiting(stack, [carol.userId], starts, (runner) => runner.query(fill, [carol.userId]));
  return chats.map((chat) => chat.conversationId);
}

async function stateOf(stack: Stack, conversationId: string): Promise<string> {
  return (await waitForActivity(stack, conversationId, () => true)).state;
}

describe('a chat that finds no free agent', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let carol: AgentSession;

  beforeAll(async () => {
    // The sweep is slowed down: only the completion's drain can assign here.
    stack = await Stack.start({ env: { ASSIGNMENT_RETRY_INTERVAL_MS: '600000' } });
    // Events are queued for delivery only to an application with a callback URL.
    receiver = await receiveCallbacks(stack);
    carol = await agentLogin(stack, 'carol');
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  it('waits, and is assigned within a second of the agent completing a chat, oldest first', async () => {
    const first = await startAnonymous(stack, await clientOf(stack, '1002'));
    expect(first.status).toBe(200);
    await waitForActivity(stack, first.body.conversation.id, (a) => a.state === 'assigned');
    const [w1, w2] = await waitingChats(stack, carol, 2, 'UPDATE agent SET max_chats = active_chats WHERE id = ?');

    await new Promise((r) => setTimeout(r, 500));
    expect([await stateOf(stack, w1), await stateOf(stack, w2)]).toEqual(['waiting', 'waiting']);

    const done = await agentCall(stack, carol.token, 'POST', `/chats/${first.body.conversation.id}/complete`);
    expect(done.status).toBe(200);
    const assigned = await waitForActivity(stack, w1, (a) => a.state === 'assigned', 5000);
    expect(String(assigned.agent_id)).toBe(carol.userId);
    expect(await stateOf(stack, w2)).toBe('waiting');
    const [lag1] = await stack.db.query(
      'SELECT TIMESTAMPDIFF(MICROSECOND, c.completed_at, w.assigned_at) / 1000 AS ms FROM activity c, activity w WHERE c.conversation_id = ? AND w.conversation_id = ?',
      [first.body.conversation.id, w1],
    );
    expect(Number(lag1.ms)).toBeGreaterThanOrEqual(0);
    expect(Number(lag1.ms)).toBeLessThan(1000);

    await agentCall(stack, carol.token, 'POST', `/chats/${w1}/complete`);
    await waitForActivity(stack, w2, (a) => a.state === 'assigned', 5000);
    const [lag2] = await stack.db.query(
      'SELECT TIMESTAMPDIFF(MICROSECOND, c.completed_at, w.assigned_at) / 1000 AS ms FROM activity c, activity w WHERE c.conversation_id = ? AND w.conversation_id = ?',
      [w1, w2],
    );
    expect(Number(lag2.ms)).toBeLessThan(1000);
    console.log(JSON.stringify({ completionToAssignmentMs: [Number(lag1.ms), Number(lag2.ms)] }));
    expect((await eventsOf(stack, w2)).map((e) => e.type)).toEqual(['assigned']);
  });

  it('does not offer a chat past the maximum wait to a freed slot: the chat behind it gets the slot', async () => {
    await stack.db.query('UPDATE agent SET max_chats = 5 WHERE id = ?', [carol.userId]);
    const first = await startAnonymous(stack, await clientOf(stack, '1002'));
    expect(first.status).toBe(200);
    await waitForActivity(stack, first.body.conversation.id, (a) => a.state === 'assigned');
    const [overdue, next] = await waitingChats(stack, carol, 2, 'UPDATE agent SET max_chats = active_chats WHERE id = ?');
    await stack.db.query('UPDATE activity SET waiting_since = NOW(3) - INTERVAL 1 DAY WHERE conversation_id = ?', [overdue]);

    expect((await agentCall(stack, carol.token, 'POST', `/chats/${first.body.conversation.id}/complete`)).status).toBe(200);
    await waitForActivity(stack, next, (a) => a.state === 'assigned', 5000);
    expect(await stateOf(stack, overdue)).toBe('waiting');
  });
});

describe('a chat that waits longer than ASSIGNMENT_MAX_WAIT_SECONDS', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let carol: AgentSession;

  beforeAll(async () => {
    stack = await Stack.start({ env: { ASSIGNMENT_MAX_WAIT_SECONDS: '2', ASSIGNMENT_RETRY_INTERVAL_MS: '300' } });
    // Events are queued for delivery only to an application with a callback URL.
    receiver = await receiveCallbacks(stack);
    carol = await agentLogin(stack, 'carol');
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  it('ends unassigned: noAgentAvailable then complete, each delivered once, complete last; nothing acts on it afterwards', async () => {
    const [chat] = await waitingChats(stack, carol, 1, "UPDATE agent SET availability = 'not_available' WHERE id = ?");
    expect(await stateOf(stack, chat)).toBe('waiting');

    await waitForActivity(stack, chat, (a) => a.state === 'unassigned', 8000);
    const events = await eventsOf(stack, chat);
    expect(events).toEqual([
      { type: 'noAgentAvailable', sender_type: 'system', agent_id: null, content: null },
      { type: 'complete', sender_type: 'system', agent_id: null, content: null },
    ]);
    const [waited] = await stack.db.query(
      "SELECT TIMESTAMPDIFF(MICROSECOND, a.created_at, m.created_at) / 1000 AS ms FROM activity a JOIN message m ON m.conversation_id = a.conversation_id AND m.type = 'noAgentAvailable' WHERE a.conversation_id = ?",
      [chat],
    );
    expect(Number(waited.ms)).toBeGreaterThanOrEqual(2000);
    const [{ n }] = await stack.db.query("SELECT COUNT(*) AS n FROM outbox WHERE topic = 'webhook/deliver-event' AND JSON_VALUE(payload, '$.conversationId') = ?", [chat]);
    expect(Number(n)).toBe(2);
    const delivered = await receiver.deliveredUntilComplete(chat);
    expect(delivered.map((m) => [m.type.value, m.sender])).toEqual([['noAgentAvailable', { type: 'system' }], ['complete', { type: 'system' }]]);

    // The client application reads why it ended and when; ending it again or writing into it is refused, as on any ended one.
    const { token } = await clientOf(stack, '1002');
    const read = await getConversation(stack, token, chat);
    expect(read.status).toBe(200);
    expect(read.body.conversation.state).toBe('unassigned');
    // completedDate is the complete event's time, as the callback gave it.
    expect(Date.parse(read.body.conversation.completedDate.date)).toBe(delivered[1].timeStamp);
    expect(read.body.conversation.message.map((m: { type: { value: string } }) => m.type.value)).toEqual(['noAgentAvailable', 'complete']);
    for (const type of ['complete', 'text/plain']) {
      const refused = await sendMessage(stack, token, message(chat, type, 'Hello?'));
      expect([refused.status, refused.body.code]).toEqual([409, '409-102']);
    }

    const available = await agentCall(stack, carol.token, 'PUT', '/availability', { availability: 'available' });
    expect(available.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await stateOf(stack, chat)).toBe('unassigned');
    expect((await eventsOf(stack, chat)).map((e) => e.type)).toEqual(['noAgentAvailable', 'complete']);
    expect(receiver.delivered(chat).map((m) => m.type.value)).toEqual(['noAgentAvailable', 'complete']);
  });

  it('a chat assigned in time is left alone by the expiry', async () => {
    const res = await startAnonymous(stack, await clientOf(stack, '1002'));
    expect(res.status).toBe(200);
    await waitForActivity(stack, res.body.conversation.id, (a) => a.state === 'assigned');
    await new Promise((r) => setTimeout(r, 2600));
    expect(await stateOf(stack, res.body.conversation.id)).toBe('assigned');
    expect((await eventsOf(stack, res.body.conversation.id)).map((e) => e.type)).toEqual(['assigned']);
  });
});
