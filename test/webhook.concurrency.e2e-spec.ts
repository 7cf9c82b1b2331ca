import { lastModified, login, start, startDocument } from './support/client';
import { addChatApplication, adminLogin, applicationId, putCallback } from './support/messaging';
import { Stack } from './support/stack';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * WEBHOOK_CONCURRENCY bounds the delivery jobs a worker runs at once, whichever kind of job
 * (an event's delivery, a wake-up) they are: with 1, one callback request at a time.
 */
describe('webhook: delivery jobs per worker', () => {
  const ANSWER_DELAY_MS = 700;
  let stack: Stack;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    receiver.defaultAnswer = { status: 200, delayMs: ANSWER_DELAY_MS };
    stack = await Stack.start({ env: { WEBHOOK_CONCURRENCY: '1', WEBHOOK_TIMEOUT_MS: '5000' }, agentCapacity: 100 });
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  it('with WEBHOOK_CONCURRENCY=1, a worker sends one callback at a time, even to different applications', async () => {
    const admin = await adminLogin(stack);
    const applications = [{ key: stack.credentials.chatClientKey, secret: stack.credentials.chatClientSecret }, { key: 'second-chat', secret: 'second-secret' }, { key: 'third-chat', secret: 'third-secret' }];
    for (const app of applications.slice(1)) await addChatApplication(stack, app.key, app.secret);
    const conversationIds: string[] = [];
    const sessions = await Promise.all(applications.map(async (app) => {
      const id = await applicationId(stack, app.key);
      expect((await putCallback(stack, admin, id, { url: receiver.url(`/hook/${id}`) })).status).toBe(200);
      const token = await login(stack, app.key, app.secret);
      return { token, lm: await lastModified(stack, token) };
    }));
    await Promise.all(sessions.map(async ({ token, lm }) => {
      const res = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' });
      expect(res.status).toBe(200);
      conversationIds.push(res.body.conversation.id);
    }));
    await receiver.waitFor(() => conversationIds.every((id) => receiver.delivered(id).length === 1), 20000);

    const arrivals = receiver.callbacks.map((c) => c.receivedAt).sort((a, b) => a - b);
    expect(arrivals).toHaveLength(3);
    // Each request arrives only once the one before it was answered.
    for (let i = 1; i < arrivals.length; i++) expect(arrivals[i] - arrivals[i - 1]).toBeGreaterThanOrEqual(ANSWER_DELAY_MS - 50);
  });
});
