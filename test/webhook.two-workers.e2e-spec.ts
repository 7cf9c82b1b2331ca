import { lastModified, login, start, startDocument } from './support/client';
import { startAssignedChat } from './support/deliveries';
import { addChatApplication, adminLogin, agentLogin, applicationId, message, putCallback, sendMessage } from './support/messaging';
import { Stack, stopProcess, waitFor } from './support/stack';
import { gate, WebhookReceiver } from './support/webhook-receiver';

/** The delivered events of the application's conversations, as the transcript orders them. */
async function recordedEvents(stack: Stack, conversationIds: string[]): Promise<Map<string, string[]>> {
  const rows: { conversation_id: string; message_id: string }[] = await stack.db.query(
    `SELECT conversation_id, message_id FROM webhook_delivery WHERE conversation_id IN (${conversationIds.map(() => '?').join(',')}) ORDER BY seq`,
    conversationIds,
  );
  const byConversation = new Map<string, string[]>(conversationIds.map((id) => [id, []]));
  for (const r of rows) byConversation.get(r.conversation_id)!.push(r.message_id);
  return byConversation;
}

/**
 * Two workers deliver the same applications' events: each event reaches its application once,
 * in its conversation's order, one request at a time per application, whichever worker's job
 * woke the delivery.
 */
describe('webhook delivery with two workers', () => {
  const CONVERSATIONS_PER_APPLICATION = 4;
  const MESSAGES = 6;
  let stack: Stack;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    // Long enough for events of other conversations to queue up behind each request.
    receiver.defaultAnswer = { status: 200, delayMs: 20 };
    stack = await Stack.start({ workers: 2, agentCapacity: 100, env: { LOG_LEVEL: 'info', WEBHOOK_SWEEP_INTERVAL_MS: '200' } });
  }, 90000);

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  it('delivers each event once, in order per conversation, never two requests to one application at once', async () => {
    const admin = await adminLogin(stack);
    await addChatApplication(stack, 'second-chat', 'second-secret');
    const applications = [
      { key: stack.credentials.chatClientKey, secret: stack.credentials.chatClientSecret },
      { key: 'second-chat', secret: 'second-secret' },
    ];
    const conversations: { conversationId: string; agentId: string }[] = [];
    for (const app of applications) {
      const id = await applicationId(stack, app.key);
      expect((await putCallback(stack, admin, id, { url: receiver.url(`/hook/${id}`) })).status).toBe(200);
      const token = await login(stack, app.key, app.secret);
      const lm = await lastModified(stack, token);
      for (let i = 0; i < CONVERSATIONS_PER_APPLICATION; i++) conversations.push(await startAssignedChat(stack, receiver, token, lm));
    }
    const agentTokens = new Map<string, string>();
    for (const { agentId } of conversations) if (!agentTokens.has(agentId)) agentTokens.set(agentId, await agentLogin(stack, agentId));

    // Every conversation writes at once: the events' jobs reach both workers.
    await Promise.all(conversations.map(async ({ conversationId, agentId }) => {
      for (let i = 1; i <= MESSAGES; i++) {
        expect((await sendMessage(stack, agentTokens.get(agentId)!, message(conversationId, 'text/plain', `m${i}`), 'agent')).status).toBe(200);
      }
    }));

    const ids = conversations.map((c) => c.conversationId);
    const expected = await recordedEvents(stack, ids);
    for (const events of expected.values()) expect(events).toHaveLength(1 + MESSAGES);
    await receiver.waitFor(() => ids.every((id) => receiver.delivered(id).length >= expected.get(id)!.length), 30000);
    // Anything sent twice would come in the sweeps after the last event (every 200 ms).
    await new Promise((r) => setTimeout(r, 1000));

    for (const id of ids) expect(receiver.delivered(id).map((m) => m.id)).toEqual(expected.get(id));
    expect(receiver.callbacks.every((c) => c.status === 200)).toBe(true);
    expect([...receiver.maxInFlight.values()]).toEqual([1, 1]);
    // Both workers took part.
    for (const worker of stack.workers) expect(worker.output.some((l) => l.includes('"callback delivered"'))).toBe(true);
  }, 60000);
});

/**
 * A worker killed (SIGKILL) while its request is under way: its lease expires and the other
 * worker sends the same batch again (the same webhook-id and events), then the events recorded
 * meanwhile, in order; nothing is lost and nothing else is sent twice.
 */
describe('webhook delivery when the delivering worker is killed', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    // A lease of 3 × 1 s + 5 s: the other worker takes over about 8 s after the kill.
    stack = await Stack.start({ env: { WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_SWEEP_INTERVAL_MS: '200' } });
    const id = await applicationId(stack);
    expect((await putCallback(stack, await adminLogin(stack), id, { url: receiver.url() })).status).toBe(200);
  }, 90000);

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  it('sends the batch in flight again from the other worker, then the rest in order', async () => {
    const held = gate();
    receiver.plan.push({ status: 200, until: held.opened });
    const token = await login(stack);
    const res = await start(stack, startDocument(await lastModified(stack, token)), { token, query: 'anonymousCustomer=yes' });
    expect(res.status).toBe(200);
    const conversation = res.body.conversation.id as string;
    // The first request (the `assigned` event) is held by the receiver.
    const first = await receiver.waitFor(() => receiver.callbacks[0]);
    expect(first.messages.map((m) => [m.conversation.id, m.type.value])).toEqual([[conversation, 'assigned']]);

    const survivor = await stack.startWorker();
    await stopProcess(stack.workers[0], 'SIGKILL');
    const agentToken = await agentLogin(stack, String(first.messages[0].sender.user.id));
    for (let i = 1; i <= 3; i++) expect((await sendMessage(stack, agentToken, message(conversation, 'text/plain', `m${i}`), 'agent')).status).toBe(200);
    held.open();

    const expected = (await recordedEvents(stack, [conversation])).get(conversation)!;
    await receiver.waitFor(() => receiver.delivered(conversation).length >= expected.length, 30000);
    await waitFor(async () => Number((await stack.db.query("SELECT COUNT(*) AS n FROM webhook_delivery WHERE state = 'pending'"))[0].n) === 0);

    expect(first.answered).toBe(false);
    const again = receiver.callbacks[1];
    expect(again.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(again.messages.map((m) => m.id)).toEqual(first.messages.map((m) => m.id));
    expect(receiver.delivered(conversation).map((m) => m.id)).toEqual(expected);
    expect(receiver.delivered(conversation).map((m) => m.content ?? m.type.value)).toEqual(['assigned', 'm1', 'm2', 'm3']);
    expect(survivor.child.exitCode).toBeNull();
  }, 60000);
});
