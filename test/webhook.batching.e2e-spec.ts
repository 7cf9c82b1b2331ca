import { Webhook } from 'standardwebhooks';
import { clientOf } from './support/client';
import { adminLogin, agentLogin, applicationId, message, putCallback, sendMessage } from './support/messaging';
import { Stack } from './support/stack';
import { settledDeliveryRows, signatureHeaders, startAssignedChat } from './support/deliveries';
import { WebhookReceiver, gate, type Gate } from './support/webhook-receiver';

/**
 * Events that queue up while a request is under way go together in the next one; a batch the
 * receiver refuses whole (413, or 400 for one of its events) goes again in smaller batches.
 * The request under way is the receiver's answer held back until the test has committed the
 * events that are to queue up behind it, so what queues up does not depend on how fast a
 * loaded machine commits them.
 */
describe('webhook: batching', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let appId: string;
  let secret: string;
  let token: string;
  let lm: string;
  const held: Gate[] = [];

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    // The held request must not end at the timeout (the batch would go again alone, before the
    // events behind it are all committed): a minute, far longer than the test holds it.
    stack = await Stack.start({ env: { WEBHOOK_TIMEOUT_MS: '60000', WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_RETRY_MAX_MS: '200', WEBHOOK_SWEEP_INTERVAL_MS: '500' }, agentCapacity: 100 });
    const admin = await adminLogin(stack);
    appId = await applicationId(stack);
    secret = (await putCallback(stack, admin, appId, { url: receiver.url() })).body.callback.signingSecret.value;
    ({ token, lm } = await clientOf(stack));
  });

  afterEach(async () => {
    for (const g of held.splice(0)) g.open();
    receiver.plan.length = 0;
    receiver.maxMessages = undefined;
    receiver.refuses = undefined;
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  /** The receiver's next answer (200) waits until the test opens the gate. */
  function holdNext(): Gate {
    const g = gate();
    held.push(g);
    receiver.plan.push({ status: 200, until: g.opened });
    return g;
  }

  const startChat = () => startAssignedChat(stack, receiver, token, lm);
  const deliveryRows = (conversationId: string) => settledDeliveryRows(stack, conversationId);

  it('sends the events that queued up during a slow request together, in one POST, in order', async () => {
    const { conversationId, agentId } = await startChat();
    const agent = await agentLogin(stack, agentId);
    const slow = holdNext();
    await sendMessage(stack, agent, message(conversationId, 'text/plain', 'one'), 'agent');
    await receiver.waitFor(() => receiver.callbacksOf(conversationId).some((c) => c.messages.some((m) => m.content === 'one')));
    for (const text of ['two', 'three', 'four']) await sendMessage(stack, agent, message(conversationId, 'text/plain', text), 'agent');
    slow.open();
    await receiver.waitFor(() => receiver.delivered(conversationId).some((m) => m.content === 'four'));
    // One request for 'one', answered after the others were committed; then one for all three.
    expect(receiver.callbacksOf(conversationId).slice(1).map((c) => [c.status, c.messages.map((m) => m.content)])).toEqual([[200, ['one']], [200, ['two', 'three', 'four']]]);
    const batch = receiver.callbacksOf(conversationId).find((c) => c.messages.some((m) => m.content === 'two'))!;
    expect(batch.messages.map((m) => m.content)).toEqual(['two', 'three', 'four']);
    new Webhook(secret).verify(batch.body, signatureHeaders(batch));
  });

  it('sends a batch the receiver finds too large (413) again in smaller batches, in order, instead of setting it aside', async () => {
    const { conversationId, agentId } = await startChat();
    const agent = await agentLogin(stack, agentId);
    const slow = holdNext();
    await sendMessage(stack, agent, message(conversationId, 'text/plain', 'one'), 'agent');
    await receiver.waitFor(() => receiver.callbacksOf(conversationId).some((c) => c.messages.some((m) => m.content === 'one')));
    // A receiver whose body limit takes one message at a time.
    receiver.maxMessages = 1;
    for (const text of ['two', 'three', 'four']) await sendMessage(stack, agent, message(conversationId, 'text/plain', text), 'agent');
    slow.open();
    await receiver.waitFor(() => receiver.delivered(conversationId).some((m) => m.content === 'four'));
    const later = receiver.callbacksOf(conversationId).filter((c) => c.messages.some((m) => ['two', 'three', 'four'].includes(m.content)));
    expect(later.map((c) => [c.status, c.messages.map((m) => m.content)])).toEqual([
      [413, ['two', 'three', 'four']],
      [413, ['two', 'three']],
      [200, ['two']],
      [200, ['three']],
      [200, ['four']],
    ]);
    // Each smaller request is a request of its own: another webhook-id, signed over its own body.
    expect(new Set(later.map((c) => c.headers['webhook-id'])).size).toBe(5);
    for (const c of later) new Webhook(secret).verify(c.body, signatureHeaders(c));
    const rows = await deliveryRows(conversationId);
    expect(rows.slice(-3)).toEqual([
      { type: 'text/html', state: 'delivered', attempts: 3 },
      { type: 'text/html', state: 'delivered', attempts: 3 },
      { type: 'text/html', state: 'delivered', attempts: 2 },
    ]);
    const [{ callback_failures: failures }] = await stack.db.query('SELECT callback_failures FROM client_application WHERE id = ?', [appId]);
    expect(Number(failures)).toBe(0);
  });

  it('sends a batch refused for one of its events again apart: only that event is set aside, not the other conversations\' events', async () => {
    const first = await startChat();
    const second = await startChat();
    const [agentOfFirst, agentOfSecond] = [await agentLogin(stack, first.agentId), await agentLogin(stack, second.agentId)];
    const slow = holdNext();
    await sendMessage(stack, agentOfFirst, message(first.conversationId, 'text/plain', 'hold'), 'agent');
    await receiver.waitFor(() => receiver.callbacks.some((c) => c.messages.some((m) => m.content === 'hold')));
    // A receiver that refuses one message for what it says (its own validation, say).
    receiver.refuses = (m) => m.content === 'poison';
    await sendMessage(stack, agentOfFirst, message(first.conversationId, 'text/plain', 'before'), 'agent');
    await sendMessage(stack, agentOfSecond, message(second.conversationId, 'text/plain', 'poison'), 'agent');
    await sendMessage(stack, agentOfFirst, message(first.conversationId, 'text/plain', 'after'), 'agent');
    slow.open();
    await receiver.waitFor(() => receiver.delivered(first.conversationId).some((m) => m.content === 'after'));
    const later = receiver.callbacks.filter((c) => c.messages.some((m) => ['before', 'poison', 'after'].includes(m.content)));
    expect(later.map((c) => [c.status, c.messages.map((m) => m.content)])).toEqual([
      [400, ['before', 'poison', 'after']],
      [400, ['before', 'poison']],
      [200, ['before']],
      [400, ['poison']],
      [200, ['after']],
    ]);
    const states = async (conversationId: string) => (await deliveryRows(conversationId)).slice(1).map((r: { state: string }) => r.state);
    expect(await states(first.conversationId)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(await states(second.conversationId)).toEqual(['rejected']);
    const [poison] = await stack.db.query("SELECT last_result FROM webhook_delivery WHERE conversation_id = ? AND type <> 'assigned'", [second.conversationId]);
    expect(poison.last_result).toBe('HTTP 400');
  });
});
