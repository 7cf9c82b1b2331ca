import { clientOf, http, start, startDocument } from './support/client';
import { adminLogin, agentLogin, applicationId, message, putCallback, sendMessage } from './support/messaging';
import { Stack } from './support/stack';
import { WebhookReceiver } from './support/webhook-receiver';

/** An application without a callback URL: events stay in the transcript and nothing is queued for delivery. */
describe('webhook: an application without a callback URL', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let token: string;
  let lm: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    stack = await Stack.start();
    ({ token, lm } = await clientOf(stack));
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  async function assignedChat(): Promise<{ conversationId: string; agentId: string }> {
    const res = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' });
    expect(res.status).toBe(200);
    const conversationId: string = res.body.conversation.id;
    for (let i = 0; i < 100; i++) {
      const [row] = await stack.db.query("SELECT agent_id FROM activity WHERE conversation_id = ? AND state = 'assigned'", [conversationId]);
      if (row) return { conversationId, agentId: String(row.agent_id) };
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`conversation ${conversationId} was not assigned`);
  }

  const deliveries = async (conversationId: string) => Number((await stack.db.query('SELECT COUNT(*) AS n FROM webhook_delivery WHERE conversation_id = ?', [conversationId]))[0].n);
  const webhookJobs = async () => Number((await stack.db.query("SELECT COUNT(*) AS n FROM outbox WHERE topic LIKE 'webhook/%'"))[0].n);

  it('records the events, queues no delivery, and queues the events recorded once a URL is set', async () => {
    const jobsBefore = await webhookJobs();
    const { conversationId, agentId } = await assignedChat();
    const agent = await agentLogin(stack, agentId);
    const sent = await sendMessage(stack, agent, message(conversationId, 'text/plain', 'Hello'), 'agent');
    expect([sent.status, sent.body.message.notified]).toEqual([200, false]);

    const transcript = await stack.db.query('SELECT type FROM message WHERE conversation_id = ? ORDER BY created_at', [conversationId]);
    expect(transcript.map((m: { type: string }) => m.type)).toEqual(['assigned', expect.stringMatching(/^text\//)]);
    expect(await deliveries(conversationId)).toBe(0);
    expect(await webhookJobs()).toBe(jobsBefore);

    const admin = await adminLogin(stack);
    expect((await putCallback(stack, admin, await applicationId(stack), { url: receiver.url(), format: 'json' })).status).toBe(200);
    const later = await sendMessage(stack, agent, message(conversationId, 'text/plain', 'Are you there?'), 'agent');
    expect([later.status, later.body.message.notified]).toEqual([200, true]);
    const delivered = await receiver.waitFor(() => {
      const got = receiver.delivered(conversationId);
      return got.length > 0 && got;
    });
    expect(delivered.map((m) => m.content)).toEqual(['Are you there?']);
    expect(await deliveries(conversationId)).toBe(1);

    // `null` removes the callback again (the one member of the API where null is not "absent").
    const removed = await putCallback(stack, admin, await applicationId(stack), { url: null });
    expect(removed.status).toBe(200);
    const [row] = await stack.db.query('SELECT callback_url FROM client_application WHERE id = ?', [await applicationId(stack)]);
    expect(row.callback_url).toBeNull();
    const after = await sendMessage(stack, agent, message(conversationId, 'text/plain', 'Anyone?'), 'agent');
    expect([after.status, after.body.message.notified]).toEqual([200, false]);
    expect(await deliveries(conversationId)).toBe(1);
  });

  it('removes the callback given in XML as <url xsi:nil="true"/>, the XML form of null', async () => {
    const admin = await adminLogin(stack);
    const appId = await applicationId(stack);
    expect((await putCallback(stack, admin, appId, { url: receiver.url() })).status).toBe(200);
    const res = await http(`${stack.contextUrl}/ws/v19/administration/clientapplications/${appId}/callback`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/xml' },
      body: '<callback xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><url xsi:nil="true"/></callback>',
    });
    expect([res.status, res.body.callback?.url]).toEqual([200, undefined]);
    const [row] = await stack.db.query('SELECT callback_url FROM client_application WHERE id = ?', [appId]);
    expect(row.callback_url).toBeNull();
  });

  it('refuses a callback document without url (null is not absent there, leaving it out is)', async () => {
    const admin = await adminLogin(stack);
    const res = await putCallback(stack, admin, await applicationId(stack), { format: 'json' });
    expect(res.status).toBe(400);
    expect(res.body.details).toBe('url');
  });
});
