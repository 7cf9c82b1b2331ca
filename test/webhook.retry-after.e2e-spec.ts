import { clientOf, start, startDocument } from './support/client';
import { adminLogin, applicationId, putCallback } from './support/messaging';
import { Stack } from './support/stack';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * A receiver that answers 429 or 503 with Retry-After is not called again before the pause it
 * asked for, up to WEBHOOK_RETRY_MAX_MS; events recorded meanwhile wait behind the batch.
 * Short settings keep it quick: the backoff alone would retry within 50–100 ms.
 */
describe('webhook: Retry-After', () => {
  const MAX_MS = 3000;
  let stack: Stack;
  let receiver: WebhookReceiver;
  let token: string;
  let lm: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    stack = await Stack.start({ env: { WEBHOOK_TIMEOUT_MS: '2000', WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_RETRY_MAX_MS: String(MAX_MS), WEBHOOK_SWEEP_INTERVAL_MS: '200' }, agentCapacity: 100 });
    const admin = await adminLogin(stack);
    const res = await putCallback(stack, admin, await applicationId(stack), { url: receiver.url() });
    expect(res.status).toBe(200);
    ({ token, lm } = await clientOf(stack));
  });

  afterEach(() => {
    receiver.plan.length = 0;
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  async function startChat(): Promise<string> {
    const res = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' });
    expect(res.status).toBe(200);
    return res.body.conversation.id as string;
  }

  const deliveredTo = (conversationId: string) => receiver.waitFor(() => receiver.delivered(conversationId).length > 0, 20000);

  it('waits the seconds a 429 asked for before the next attempt, and what was recorded meanwhile waits behind it', async () => {
    receiver.plan.push({ status: 429, headers: { 'Retry-After': '2' } });
    const first = await startChat();
    await receiver.waitFor(() => receiver.callbacksOf(first).length === 1 && receiver.callbacksOf(first)[0].answered);
    const second = await startChat();
    await deliveredTo(second);
    const attempts = receiver.callbacksOf(first);
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(attempts[1].headers['webhook-id']).toBe(attempts[0].headers['webhook-id']);
    // Asked for 2 s from when the answer came; the margin only absorbs clock rounding.
    expect(attempts[1].receivedAt - attempts[0].receivedAt).toBeGreaterThanOrEqual(1900);
    // Nothing reached the receiver in between, and the later conversation came after the retried batch.
    const order = receiver.callbacks.slice(receiver.callbacks.indexOf(attempts[0]));
    expect(order[1]).toBe(attempts[1]);
    expect(order.findIndex((c) => c.messages.some((m) => m.conversation.id === second))).toBeGreaterThanOrEqual(1);
  });

  it('waits until the HTTP date a 503 named', async () => {
    let until = 0;
    receiver.plan.push({
      status: 503,
      headers: () => {
        // Whole seconds: at least 2 s from now.
        until = (Math.floor(Date.now() / 1000) + 3) * 1000;
        return { 'Retry-After': new Date(until).toUTCString() };
      },
    });
    const conversationId = await startChat();
    await deliveredTo(conversationId);
    const attempts = receiver.callbacksOf(conversationId);
    expect(attempts.map((c) => c.status)).toEqual([503, 200]);
    expect(attempts[1].receivedAt).toBeGreaterThanOrEqual(until - 100);
  });

  it('honours a pause only up to WEBHOOK_RETRY_MAX_MS', async () => {
    receiver.plan.push({ status: 429, headers: { 'Retry-After': '86400' } });
    const conversationId = await startChat();
    await deliveredTo(conversationId);
    const attempts = receiver.callbacksOf(conversationId);
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    const waited = attempts[1].receivedAt - attempts[0].receivedAt;
    expect(waited).toBeGreaterThanOrEqual(MAX_MS - 100);
    expect(waited).toBeLessThan(MAX_MS + 10000);
  });
});
