import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { clientOf, http, start, startDocument } from './support/client';
import { adminLogin, agentLogin, applicationId, message, putCallback, sendMessage } from './support/messaging';
import { IDLE_WITH_PENDING } from '../src/modules/webhook/infrastructure/mysql-delivery.repository';
import { Stack, waitFor } from './support/stack';
import { settledDeliveryRows, signatureHeaders, startAssignedChat } from './support/deliveries';
import { WebhookReceiver } from './support/webhook-receiver';

/** Delivery policy against a real receiver: retries, rejection, XML, Basic and OAuth2 (batching: webhook.batching). */
describe('webhook: delivery', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let admin: string;
  let appId: string;
  let secret: string;
  let token: string;
  let lm: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    stack = await Stack.start({ env: { WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_RETRY_MAX_MS: '200', WEBHOOK_SWEEP_INTERVAL_MS: '500' }, agentCapacity: 100 });
    admin = await adminLogin(stack);
    appId = await applicationId(stack);
    secret = (await putCallback(stack, admin, appId, { url: receiver.url() })).body.callback.signingSecret.value;
    ({ token, lm } = await clientOf(stack));
  });

  afterEach(async () => {
    receiver.plan.length = 0;
    receiver.auth = undefined;
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  const startChat = () => startAssignedChat(stack, receiver, token, lm);
  const deliveryRows = (conversationId: string) => settledDeliveryRows(stack, conversationId);

  it('retries a 500 and delivers once, resending the same request (ids, body) with a fresh signature', async () => {
    receiver.plan.push({ status: 500 });
    const { conversationId } = await startChat();
    const attempts = receiver.callbacksOf(conversationId);
    expect(attempts.map((c) => c.status)).toEqual([500, 200]);
    expect(attempts[1].headers['webhook-id']).toBe(attempts[0].headers['webhook-id']);
    expect(attempts[1].messages.map((m) => m.id)).toEqual(attempts[0].messages.map((m) => m.id));
    expect(attempts[1].body).toBe(attempts[0].body);
    expect(attempts[1].receivedAt - attempts[0].receivedAt).toBeGreaterThanOrEqual(45);
    for (const c of attempts) new Webhook(secret).verify(c.body, signatureHeaders(c));
    expect(await deliveryRows(conversationId)).toEqual([{ type: 'assigned', state: 'delivered', attempts: 2 }]);
  });

  it('retries 429 and timeouts too, but not a 400: that batch is set aside and the next events still go', async () => {
    receiver.plan.push({ status: 429 }, { status: 200, delayMs: 1500 });
    const { conversationId, agentId } = await startChat();
    expect(receiver.callbacksOf(conversationId).map((c) => c.status)).toEqual([429, 200, 200]);
    expect(new Set(receiver.callbacksOf(conversationId).map((c) => c.headers['webhook-id'])).size).toBe(1);
    expect(await deliveryRows(conversationId)).toEqual([{ type: 'assigned', state: 'delivered', attempts: 3 }]);

    const agent = await agentLogin(stack, agentId);
    receiver.plan.push({ status: 400 });
    await sendMessage(stack, agent, message(conversationId, 'text/plain', 'refused'), 'agent');
    await receiver.waitFor(() => receiver.callbacks.some((c) => c.status === 400));
    await sendMessage(stack, agent, message(conversationId, 'text/plain', 'accepted'), 'agent');
    await receiver.waitFor(() => receiver.delivered(conversationId).some((m) => m.content === 'accepted'));
    const texts = receiver.callbacksOf(conversationId).filter((c) => c.messages.some((m) => m.type.value === 'text/html'));
    expect(texts.map((c) => [c.status, c.messages.map((m) => m.content)])).toEqual([[400, ['refused']], [200, ['accepted']]]);
    const rows = await deliveryRows(conversationId);
    expect(rows.slice(1).map((r: { state: string }) => r.state)).toEqual(['rejected', 'delivered']);
    // The rejection counted as a failure; the delivery after it set the count back to zero.
    await waitFor(async () => {
      const [{ callback_failures: failures }] = await stack.db.query('SELECT callback_failures FROM client_application WHERE id = ?', [appId]);
      return Number(failures) === 0;
    });
  });

  it('takes a 2xx whose body never ends as delivered: the body is ignored, so the events are not sent again', async () => {
    receiver.plan.push({ status: 200, endlessBody: true });
    const { conversationId } = await startChat();
    expect(await deliveryRows(conversationId)).toEqual([{ type: 'assigned', state: 'delivered', attempts: 1 }]);
    // Given time for a retry (the timeout is 1 s, the backoff at most 200 ms), none comes.
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.callbacksOf(conversationId).map((c) => c.status)).toEqual([200]);
    const [{ callback_failures: failures }] = await stack.db.query('SELECT callback_failures FROM client_application WHERE id = ?', [appId]);
    expect(Number(failures)).toBe(0);
  });

  it('sends pending events that carry a batch the application\'s row does not name (left by a worker that stalled past its lease)', async () => {
    const { conversationId } = await startChat();
    const ids = [randomUUID(), randomUUID()];
    for (const [i, id] of ids.entries()) {
      await stack.db.query(
        `INSERT INTO webhook_delivery (message_id, client_application_id, conversation_id, correlation_id, type, content, sender_type, occurred_at, batch_id)
         VALUES (?, ?, ?, 'stalled', 'text/plain', ?, 'system', NOW(3), ?)`,
        [id, appId, conversationId, `stranded ${i}`, randomUUID()],
      );
    }
    // A change of the settings wakes delivery at once.
    expect((await putCallback(stack, admin, appId, { url: receiver.url() })).status).toBe(200);
    const got = await receiver.waitFor(() => {
      const texts = receiver.delivered(conversationId).filter((m) => ids.includes(m.id));
      return texts.length === 2 && texts;
    });
    expect(got.map((m) => m.content)).toEqual(['stranded 0', 'stranded 1']);
    expect(await deliveryRows(conversationId)).toEqual([{ type: 'assigned', state: 'delivered', attempts: 1 }, ...ids.map(() => ({ type: 'text/plain', state: 'delivered', attempts: 1 }))]);
  });

  it('keeps the events while the receiver refuses the credentials (401): they go once the settings are fixed', async () => {
    receiver.auth = { type: 'basic', username: 'hooks', password: 'right' };
    expect((await putCallback(stack, admin, appId, { url: receiver.url(), authentication: { type: 'basic', username: 'hooks', password: 'wrong' } })).status).toBe(200);
    const res = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' });
    const conversationId: string = res.body.conversation.id;
    await receiver.waitFor(() => receiver.callbacksOf(conversationId).length >= 2);
    const [waiting] = await stack.db.query('SELECT state, last_result FROM webhook_delivery WHERE conversation_id = ?', [conversationId]);
    expect(waiting).toEqual({ state: 'pending', last_result: 'HTTP 401' });

    expect((await putCallback(stack, admin, appId, { url: receiver.url(), authentication: { type: 'basic', username: 'hooks', password: 'right' } })).status).toBe(200);
    const [assigned] = await receiver.waitFor(() => receiver.delivered(conversationId).length === 1 && receiver.delivered(conversationId));
    expect(assigned.type.value).toBe('assigned');
    expect((await deliveryRows(conversationId))[0].state).toBe('delivered');
    await putCallback(stack, admin, appId, { url: receiver.url(), authentication: { type: 'none' } });
  });

  it('speaks XML when the application asks for it', async () => {
    expect((await putCallback(stack, admin, appId, { url: receiver.url(), format: 'xml' })).status).toBe(200);
    try {
      const { conversationId, agentId } = await startChat();
      const agent = await agentLogin(stack, agentId);
      await sendMessage(stack, agent, message(conversationId, 'text/html', '<p>Fish & chips</p>'), 'agent');
      const [assigned, text] = await receiver.waitFor(() => {
        const got = receiver.delivered(conversationId);
        return got.length === 2 && got;
      });
      const callback = receiver.callbacksOf(conversationId)[1];
      expect(callback.headers['content-type']).toMatch(/^application\/xml/);
      expect(callback.body).toMatch(/^<\?xml[^>]*\?><messages><message><id>/);
      new Webhook(secret).verify(callback.body, signatureHeaders(callback), { jsonParse: false });
      expect([assigned.type.value, assigned.sender.type, assigned.conversation.id]).toEqual(['assigned', 'user', conversationId]);
      expect([text.type.value, text.content, text.sender.user.id]).toEqual(['text/html', '<p>Fish & chips</p>', agentId]);
      expect(Number(text.timeStamp)).toBeGreaterThan(0);
    } finally {
      await putCallback(stack, admin, appId, { url: receiver.url(), format: 'json' });
    }
  });

  it('authenticates with Basic credentials, which are never shown back', async () => {
    receiver.auth = { type: 'basic', username: 'hook-user', password: 'hook-password' };
    const res = await putCallback(stack, admin, appId, { url: receiver.url(), authentication: { type: 'basic', username: 'hook-user', password: 'hook-password' } });
    expect(res.body.callback.authentication).toEqual({ type: 'basic', username: 'hook-user', password: '********' });
    expect(res.text).not.toContain('hook-password');
    expect(res.body.callback.signingSecret).toEqual({ configured: true });
    // Same type again without the password keeps the stored one.
    expect((await putCallback(stack, admin, appId, { url: receiver.url(), authentication: { type: 'basic', username: 'hook-user' } })).status).toBe(200);
    const { conversationId } = await startChat();
    expect(receiver.callbacksOf(conversationId).map((c) => [c.status, c.headers.authorization])).toEqual([[200, `Basic ${Buffer.from('hook-user:hook-password').toString('base64')}`]]);
  });

  it('authenticates with an OAuth2 client-credentials token: fetched once, reused, refreshed after a 401 and on expiry', async () => {
    receiver.auth = { type: 'bearer' };
    const requestsBefore = receiver.tokenRequests.length;
    const res = await putCallback(stack, admin, appId, {
      url: receiver.url(),
      authentication: { type: 'oauth2', tokenUrl: receiver.url('/token'), clientId: receiver.oauthClient.id, clientSecret: receiver.oauthClient.secret, scope: 'chat.events' },
    });
    expect(res.body.callback.authentication.clientSecret).toBe('********');
    const { conversationId, agentId } = await startChat();
    const agent = await agentLogin(stack, agentId);
    await sendMessage(stack, agent, message(conversationId, 'text/plain', 'with the same token'), 'agent');
    await receiver.waitFor(() => receiver.delivered(conversationId).length === 2);
    expect(receiver.tokenRequests.length - requestsBefore).toBe(1);
    expect(new URLSearchParams(receiver.tokenRequests.at(-1)!.body).get('scope')).toBe('chat.events');

    receiver.revokeTokens();
    receiver.oauthClient.expiresIn = 1;
    await sendMessage(stack, agent, message(conversationId, 'text/plain', 'after revocation'), 'agent');
    await receiver.waitFor(() => receiver.delivered(conversationId).length === 3);
    expect(receiver.tokenRequests.length - requestsBefore).toBe(2);
    const last = receiver.callbacksOf(conversationId).slice(-2);
    expect(last.map((c) => c.status)).toEqual([401, 200]);
    expect(last[1].headers['webhook-id']).toBe(last[0].headers['webhook-id']);
    expect(last[1].headers.authorization).not.toBe(last[0].headers.authorization);

    // That token lives one second (the worker keeps it half of that): the next event gets a new one unasked.
    await new Promise((r) => setTimeout(r, 700));
    await sendMessage(stack, agent, message(conversationId, 'text/plain', 'after expiry'), 'agent');
    await receiver.waitFor(() => receiver.delivered(conversationId).length === 4);
    expect(receiver.tokenRequests.length - requestsBefore).toBe(3);
    expect(receiver.callbacksOf(conversationId).at(-1)!.status).toBe(200);
    expect(receiver.callbacksOf(conversationId).filter((c) => c.status === 401)).toHaveLength(1);
    receiver.oauthClient.expiresIn = 3600;
    await putCallback(stack, admin, appId, { url: receiver.url() });
  });

  it('keeps the events pending while the OAuth2 token endpoint refuses the credentials: they were never offered to the receiver', async () => {
    const requestsBefore = receiver.tokenRequests.length;
    const oauth2 = (clientSecret: string) => ({ type: 'oauth2', tokenUrl: receiver.url('/token'), clientId: receiver.oauthClient.id, clientSecret });
    expect((await putCallback(stack, admin, appId, { url: receiver.url(), authentication: oauth2('a-wrong-secret') })).status).toBe(200);
    const res = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' });
    const conversationId: string = res.body.conversation.id;
    // Refused (401 invalid_client) and tried again with backoff, as a receiver's 5xx would be.
    await receiver.waitFor(() => receiver.tokenRequests.length - requestsBefore >= 2);
    const [assigned] = await stack.db.query('SELECT state, last_result FROM webhook_delivery WHERE conversation_id = ?', [conversationId]);
    expect(assigned).toEqual({ state: 'pending', last_result: 'token endpoint: HTTP 401' });
    expect(receiver.delivered(conversationId)).toEqual([]);

    // The administrator fixes the secret (and reactivates, in case the failures reached the limit): the event goes.
    expect((await putCallback(stack, admin, appId, { url: receiver.url(), authentication: oauth2(receiver.oauthClient.secret) })).status).toBe(200);
    const url = `${stack.contextUrl}/ws/v19/administration/clientapplications/${appId}/callback/reactivate`;
    expect((await http(url, { method: 'POST', headers: { Authorization: `Bearer ${admin}` } })).status).toBe(200);
    const [delivered] = await receiver.waitFor(() => receiver.delivered(conversationId).length === 1 && receiver.delivered(conversationId));
    expect(delivered.type.value).toBe('assigned');
    await putCallback(stack, admin, appId, { url: receiver.url() });
  });
  it("the sweep reads a few rows per application, not the pending events of an application's backlog", async () => {
    // An application whose receiver is being retried (its lease held) with 20,000 events waiting:
    // nothing there for the sweep to wake, and nothing it should read.
    const { insertId } = await stack.db.query(
      "INSERT INTO client_application (name, type, client_id, secret_hash, callback_url) VALUES ('backlog', 'chat', ?, 'x', 'https://backlog.example.com/')",
      [`backlog-${randomUUID()}`],
    );
    const backlogged = String(insertId);
    await stack.db.query("INSERT INTO webhook_dispatch (client_application_id, lease_token, lease_until) VALUES (?, 'held', NOW(3) + INTERVAL 1 HOUR)", [backlogged]);
    await stack.db.query(
      `INSERT INTO webhook_delivery (message_id, client_application_id, conversation_id, correlation_id, type, sender_type, occurred_at)
       SELECT UUID(), ?, UUID(), 'backlog', 'text/plain', 'user', NOW(3) FROM seq_1_to_20000`,
      [backlogged],
    );
    await stack.db.query('ANALYZE TABLE webhook_delivery');
    try {
      // ANALYZE runs the statement and counts the rows each table actually gave (r_rows per loop).
      const [row] = await stack.db.query(`ANALYZE FORMAT=JSON ${IDLE_WITH_PENDING} LIMIT 500`);
      const reads: { table: string; key?: string; rows: number }[] = [];
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node && typeof node === 'object') {
          const t = node as Record<string, unknown>;
          if (typeof t.table_name === 'string' && 'r_rows' in t) reads.push({ table: t.table_name, key: t.key as string | undefined, rows: Number(t.r_rows) * Number(t.r_loops ?? 1) });
          Object.values(t).forEach(walk);
        }
      };
      walk(JSON.parse(Object.values(row)[0] as string));
      const [{ n: applications }] = await stack.db.query('SELECT COUNT(*) AS n FROM client_application');
      const events = reads.filter((r) => r.table === 'd');
      expect(events.map((r) => r.key)).toEqual(['ix_webhook_delivery_state']);
      expect(events[0].rows).toBeLessThanOrEqual(Number(applications));
      expect((await stack.db.query(`${IDLE_WITH_PENDING} LIMIT 500`)).map((r: { id: unknown }) => String(r.id))).not.toContain(backlogged);
    } finally {
      await stack.db.query('DELETE FROM webhook_delivery WHERE client_application_id = ?', [backlogged]);
      await stack.db.query('DELETE FROM webhook_dispatch WHERE client_application_id = ?', [backlogged]);
      await stack.db.query('DELETE FROM client_application WHERE id = ?', [backlogged]);
    }
  });
});
