import { clientOf, start, startDocument } from './support/client';
import { adminLogin, applicationId, putCallback } from './support/messaging';
import { Stack, waitFor } from './support/stack';
import { WebhookReceiver, gate, type Gate } from './support/webhook-receiver';

/**
 * The callback settings changed while a request to the old ones is still under way: what the
 * old URL answers then says nothing of the new one. The batch goes to the new settings at once,
 * neither set aside nor held back by a pause the old URL asked for, and nothing is counted
 * towards deactivation.
 */
describe('webhook: settings changed during a request', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let admin: string;
  let appId: string;
  let token: string;
  let lm: string;
  let held: Gate | undefined;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    // Retry-After is honoured up to a minute: far longer than the test waits for the new URL.
    // The old URL answers once the settings are changed, however long that takes a loaded
    // machine: the timeout, a minute too, does not cut the request short first.
    stack = await Stack.start({ env: { WEBHOOK_TIMEOUT_MS: '60000', WEBHOOK_RETRY_BASE_MS: '5000', WEBHOOK_RETRY_MAX_MS: '60000', WEBHOOK_SWEEP_INTERVAL_MS: '200' }, agentCapacity: 100 });
    admin = await adminLogin(stack);
    appId = await applicationId(stack);
    ({ token, lm } = await clientOf(stack));
  });

  afterEach(() => {
    receiver.plan.length = 0;
    held?.open();
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });


  async function failures(): Promise<number> {
    const [row] = await stack.db.query('SELECT callback_failures FROM client_application WHERE id = ?', [appId]);
    return Number(row.callback_failures);
  }

  /** Starts a chat whose assigned event reaches /old and is held there until the URL has moved to /new. */
  async function moveDuringRequest(oldAnswer: { status: number; headers?: Record<string, string> }): Promise<string> {
    expect((await putCallback(stack, admin, appId, { url: receiver.url('/old') })).status).toBe(200);
    held = gate();
    receiver.plan.push({ ...oldAnswer, until: held.opened });
    const res = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' });
    expect(res.status).toBe(200);
    const conversationId: string = res.body.conversation.id;
    await receiver.waitFor(() => receiver.callbacksOf(conversationId).length === 1);
    expect((await putCallback(stack, admin, appId, { url: receiver.url('/new') })).status).toBe(200);
    held.open();
    return conversationId;
  }

  it('does not hold the batch back for the pause the replaced URL asked for', async () => {
    const conversationId = await moveDuringRequest({ status: 503, headers: { 'Retry-After': '60' } });
    await receiver.waitFor(() => receiver.delivered(conversationId).length === 1, 8000);
    const attempts = receiver.callbacksOf(conversationId);
    expect(attempts.map((c) => [c.path, c.status])).toEqual([['/old', 503], ['/new', 200]]);
    expect(attempts[1].headers['webhook-id']).toBe(attempts[0].headers['webhook-id']);
    expect(await failures()).toBe(0);
  });

  it('does not set the batch aside for a refusal by the replaced URL', async () => {
    const conversationId = await moveDuringRequest({ status: 400 });
    await receiver.waitFor(() => receiver.delivered(conversationId).length === 1, 8000);
    expect(receiver.callbacksOf(conversationId).map((c) => [c.path, c.status])).toEqual([['/old', 400], ['/new', 200]]);
    const rows = await waitFor(async () => {
      const found = await stack.db.query('SELECT state, attempts FROM webhook_delivery WHERE conversation_id = ?', [conversationId]);
      return found.every((r: { state: string }) => r.state !== 'pending') && found;
    });
    expect(rows).toEqual([{ state: 'delivered', attempts: 2 }]);
    expect(await failures()).toBe(0);
  });

  it('forgets the retry the old URL was waiting for: the batch goes to the new one at once', async () => {
    expect((await putCallback(stack, admin, appId, { url: receiver.url('/old') })).status).toBe(200);
    receiver.plan.push({ status: 503, headers: { 'Retry-After': '60' } });
    const res = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' });
    expect(res.status).toBe(200);
    const conversationId: string = res.body.conversation.id;
    // The failure recorded and its retry waiting a minute.
    await waitFor(async () => {
      const [row] = await stack.db.query('SELECT retry_at FROM webhook_dispatch WHERE client_application_id = ? AND lease_token IS NULL', [appId]);
      return row?.retry_at != null;
    });
    expect((await putCallback(stack, admin, appId, { url: receiver.url('/new') })).status).toBe(200);
    await receiver.waitFor(() => receiver.delivered(conversationId).length === 1, 8000);
    expect(receiver.callbacksOf(conversationId).map((c) => [c.path, c.status])).toEqual([['/old', 503], ['/new', 200]]);
    expect(await failures()).toBe(0);
  });
});
