import { lastModified, login, start, startDocument } from '../support/client';
import { addChatApplication, adminLogin, agentLogin, putCallback, sendMessage, message } from '../support/messaging';
import { Stack, stopProcess, waitFor } from '../support/stack';
import { WebhookReceiver } from '../support/webhook-receiver';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Webhook delivery under faults: a slow, flapping receiver must not hold up other
 * applications, order is kept, and a worker killed mid-delivery loses nothing.
 */
describe('webhook delivery faults', () => {
  let stack: Stack;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    stack = await Stack.start({
      workers: 2,
      env: { WEBHOOK_TIMEOUT_MS: '300', WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_RETRY_MAX_MS: '400', WEBHOOK_DEACTIVATE_AFTER_FAILURES: '1000', WEBHOOK_SWEEP_INTERVAL_MS: '200' },
    });
    await stack.db.query('UPDATE agent SET max_chats = 10000');
  });

  afterAll(async () => {
    await stack?.stop();
    for (const r of receivers) await r.stop();
  });

  async function applicationWithReceiver(key: string): Promise<{ token: string; receiver: WebhookReceiver }> {
    const receiver = await WebhookReceiver.start();
    receivers.push(receiver);
    const appId = await addChatApplication(stack, key, `${key}-secret`);
    const res = await putCallback(stack, await adminLogin(stack), appId, { url: receiver.url(), format: 'json' });
    expect(res.status).toBe(200);
    return { token: await login(stack, key, `${key}-secret`), receiver };
  }

  /** Starts a conversation, waits for its agent, and has the agent send `count` numbered messages. */
  async function conversationWithMessages(token: string, count: number): Promise<string> {
    const res = await start(stack, startDocument(await lastModified(stack, token)), { token, query: 'anonymousCustomer=yes' });
    expect(res.status).toBe(200);
    const id = res.body.conversation.id as string;
    const agentId = await waitFor(async () => (await stack.db.query("SELECT agent_id FROM activity WHERE conversation_id = ? AND state = 'assigned'", [id]))[0]?.agent_id);
    const agentToken = await agentLogin(stack, String(agentId));
    for (let i = 1; i <= count; i++) expect((await sendMessage(stack, agentToken, message(id, 'text/plain', `m${i}`), 'agent')).status).toBe(200);
    return id;
  }

  function expectInOrderOnce(receiver: WebhookReceiver, conversationId: string, count: number): void {
    const delivered = receiver.delivered(conversationId);
    const ids = new Map<string, string>();
    for (const m of delivered) {
      const key = `${m.type.value}:${m.content ?? ''}`;
      // At-least-once: a redelivery carries the same id; one event never gets two ids.
      if (ids.has(key)) expect(ids.get(key)).toBe(m.id);
      ids.set(key, m.id);
    }
    const firsts = [...new Map(delivered.map((m) => [m.id, m])).values()];
    expect(firsts.map((m) => m.type.value === 'assigned' ? 'assigned' : m.content)).toEqual(['assigned', ...Array.from({ length: count }, (_, i) => `m${i + 1}`)]);
  }

  it('keeps delivering to a healthy receiver while another one times out and flaps, and keeps order for both', async () => {
    const slow = await applicationWithReceiver('slow-app');
    const healthy = await applicationWithReceiver('healthy-app');
    // Longer than WEBHOOK_TIMEOUT_MS, then errors: timeouts and 5xx in turn; then timeouts
    // again, for as long as the healthy receiver has not had everything, however long a loaded
    // machine takes over that.
    slow.receiver.plan.push({ status: 200, delayMs: 1000 }, { status: 503 }, { status: 200, delayMs: 1000 }, { status: 500 }, { status: 200, delayMs: 800 });
    slow.receiver.defaultAnswer = { status: 200, delayMs: 5000 };
    const slowConversation = await conversationWithMessages(slow.token, 5);
    const healthyConversation = await conversationWithMessages(healthy.token, 5);
    await healthy.receiver.waitFor(() => healthy.receiver.delivered(healthyConversation).length >= 6, 30000);
    // The healthy application did not wait for the slow one's retries: the slow one has had
    // nothing yet, and gets its events only now that its receiver answers in time.
    expect(slow.receiver.delivered(slowConversation)).toEqual([]);
    slow.receiver.defaultAnswer = { status: 200 };
    await slow.receiver.waitFor(() => new Set(slow.receiver.delivered(slowConversation).map((m) => m.id)).size >= 6, 30000);
    expectInOrderOnce(healthy.receiver, healthyConversation, 5);
    expectInOrderOnce(slow.receiver, slowConversation, 5);
    expect(slow.receiver.callbacks.filter((c) => !c.answered || c.status >= 500).length).toBeGreaterThanOrEqual(4);
  });

  it('loses nothing and gives no event a second id when a worker is killed mid-delivery', async () => {
    const app = await applicationWithReceiver('kill-app');
    app.receiver.defaultAnswer = { status: 200, delayMs: 150 };
    const conversations = await Promise.all([0, 1, 2].map(() => conversationWithMessages(app.token, 4)));
    await sleep(200);
    for (const worker of stack.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null)) await stopProcess(worker, 'SIGKILL');
    await sleep(300);
    await stack.startWorker();
    for (const id of conversations) {
      await app.receiver.waitFor(() => new Set(app.receiver.delivered(id).map((m) => m.id)).size >= 5, 30000);
      expectInOrderOnce(app.receiver, id, 4);
    }
    // Deliveries the killed worker had sent but not yet marked are redelivered and marked.
    await waitFor(async () => Number((await stack.db.query("SELECT COUNT(*) AS n FROM webhook_delivery WHERE state = 'pending'"))[0].n) === 0, 30000).catch(async (e) => {
      console.log(await stack.db.query("SELECT * FROM webhook_delivery WHERE state = 'pending'"));
      console.log(await stack.db.query('SELECT * FROM webhook_dispatch'));
      throw e;
    });
  });
});
