import { clientOf, http, start, startDocument } from './support/client';
import { adminLogin, agentLogin, applicationId, message, putCallback, sendMessage } from './support/messaging';
import { Stack, waitFor } from './support/stack';
import { WebhookReceiver } from './support/webhook-receiver';
import { CLIENT_APPLICATION_CACHE_SCOPE } from '../src/modules/client-application/domain/client-application';

/**
 * A receiver that is down for good: the URL is deactivated after the configured number
 * of failed deliveries, starts are refused (even by an api that caches the application
 * for minutes), events are held, and reactivation delivers them in order.
 */
describe('webhook: deactivation and reactivation', () => {
  const FAILURES = 3;
  let stack: Stack;
  let receiver: WebhookReceiver;
  let appId: string;
  let token: string;
  let lm: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    stack = await Stack.start({
      env: {
        WEBHOOK_DEACTIVATE_AFTER_FAILURES: String(FAILURES),
        WEBHOOK_RETRY_BASE_MS: '50',
        WEBHOOK_RETRY_MAX_MS: '100',
        WEBHOOK_TIMEOUT_MS: '1000',
        WEBHOOK_SWEEP_INTERVAL_MS: '300',
        // Long enough that only the cross-process invalidation can make the api see a change in time.
        CONFIG_CACHE_TTL_MS: '600000',
      },
    });
    const admin = await adminLogin(stack);
    appId = await applicationId(stack);
    expect((await putCallback(stack, admin, appId, { url: receiver.url() })).status).toBe(200);
    ({ token, lm } = await clientOf(stack));
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  /** Cache invalidation notices published on Redis from now on, as the api receives them. */
  async function invalidationNotices(): Promise<{ seen: (notice: { scope: string; key: string }) => Promise<void> }> {
    const subscriber = stack.redis.duplicate();
    await subscriber.connect();
    const received: string[] = [];
    subscriber.on('message', (_channel: string, raw: string) => received.push(raw));
    await subscriber.subscribe(`${stack.env.REDIS_PREFIX}:cache-invalidation`);
    return {
      seen: async (notice) => {
        try {
          await waitFor(async () => received.map((raw) => JSON.parse(raw)).some((n) => n.scope === notice.scope && String(n.key) === notice.key));
        } finally {
          subscriber.disconnect();
        }
      },
    };
  }

  async function callbackState() {
    const [row] = await stack.db.query('SELECT callback_state, callback_failures FROM client_application WHERE id = ?', [appId]);
    return { state: row.callback_state as string, failures: Number(row.callback_failures) };
  }

  it('deactivates after the configured failures, refuses starts, holds events, and delivers them in order once reactivated', async () => {
    // A first start while everything works caches the application as active in the api.
    const first = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' });
    expect(first.status).toBe(200);
    const firstId: string = first.body.conversation.id;
    const [assigned] = await receiver.waitFor(() => receiver.delivered(firstId).length > 0 && receiver.delivered(firstId));
    const agent = await agentLogin(stack, assigned.sender.user.id);

    const notices = await invalidationNotices();
    const port = receiver.port;
    await receiver.stop();
    await sendMessage(stack, agent, message(firstId, 'text/plain', 'held 1'), 'agent');
    await waitFor(async () => (await callbackState()).state === 'deactivated');
    expect((await callbackState()).failures).toBe(FAILURES);
    // The worker tells the api after its commit: a start sent once the row reads deactivated can
    // still find the application active in the api's cache, until the notice has gone out.
    await notices.seen({ scope: CLIENT_APPLICATION_CACHE_SCOPE, key: appId });

    const refused = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' });
    expect([refused.status, refused.body.code]).toEqual([400, '400-142']);

    // Events keep being recorded while nothing is sent.
    await sendMessage(stack, agent, message(firstId, 'text/plain', 'held 2'), 'agent');
    await sendMessage(stack, token, message(firstId, 'complete'));
    const [{ attempts }] = await stack.db.query('SELECT SUM(attempts) AS attempts FROM webhook_delivery WHERE conversation_id = ?', [firstId]);
    await new Promise((r) => setTimeout(r, 700));
    const [{ attempts: later, pending }] = await stack.db.query(
      "SELECT SUM(attempts) AS attempts, SUM(state = 'pending') AS pending FROM webhook_delivery WHERE conversation_id = ?",
      [firstId],
    );
    expect([Number(later), Number(pending)]).toEqual([Number(attempts), 3]);
    const seen = await http(`${stack.clientApiUrl}/callback`, { headers: { Authorization: `Bearer ${token}` } });
    expect([seen.body.callback.state, seen.body.callback.pendingEvents]).toEqual(['deactivated', 3]);

    // The receiver is back; the application reactivates its own URL.
    receiver = await WebhookReceiver.start(port);
    const reactivated = await http(`${stack.clientApiUrl}/callback/reactivate`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    expect([reactivated.status, reactivated.body.callback.state]).toEqual([200, 'active']);
    const held = await receiver.deliveredUntilComplete(firstId);
    expect(held.map((m) => m.content ?? m.type.value)).toEqual(['held 1', 'held 2', 'complete']);
    expect(await callbackState()).toEqual({ state: 'active', failures: 0 });

    const again = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' });
    expect(again.status).toBe(200);
  });

  it('lets an administrator see the state and reactivate; other roles cannot use the administration API', async () => {
    const admin = await adminLogin(stack);
    const url = `${stack.contextUrl}/ws/v19/administration/clientapplications/${appId}/callback`;
    const read = await http(url, { headers: { Authorization: `Bearer ${admin}` } });
    expect([read.status, read.body.callback.state, read.body.callback.url]).toEqual([200, 'active', receiver.url()]);
    expect(read.body.callback.signingSecret).toEqual({ configured: true });
    await stack.db.query("UPDATE client_application SET callback_state = 'deactivated' WHERE id = ?", [appId]);
    const res = await http(`${url}/reactivate`, { method: 'POST', headers: { Authorization: `Bearer ${admin}` } });
    expect([res.status, res.body.callback.state]).toEqual([200, 'active']);
    const rotated = await http(`${url}/signing-secret`, { method: 'POST', headers: { Authorization: `Bearer ${admin}` } });
    expect(rotated.body.signingSecret.value).toMatch(/^whsec_/);
    const [row] = await stack.db.query('SELECT callback_signing_secret FROM client_application WHERE id = ?', [appId]);
    expect(row.callback_signing_secret).toBe(rotated.body.signingSecret.value);
    const asClient = await http(url, { headers: { Authorization: `Bearer ${token}` } });
    expect([asClient.status, asClient.body.code]).toEqual([401, '401-107']);
    const missing = await http(`${stack.contextUrl}/ws/v19/administration/clientapplications/999999/callback`, { headers: { Authorization: `Bearer ${admin}` } });
    expect([missing.status, missing.body.code]).toEqual([404, '404-103']);
    const bad = await http(url, { method: 'PUT', headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ url: 'ftp://example.com/x' }) });
    expect([bad.status, bad.body.code, bad.body.details]).toEqual([400, '400-112', 'url']);
  });

  it('sets the failure count back to zero at a reactivation and at a change of the settings, before anything is sent, and at a delivery', async () => {
    const admin = await adminLogin(stack);
    await stack.db.query("UPDATE client_application SET callback_state = 'deactivated', callback_failures = ? WHERE id = ?", [FAILURES, appId]);
    const reactivated = await http(`${stack.clientApiUrl}/callback/reactivate`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    expect([reactivated.status, reactivated.body.callback.state, reactivated.body.callback.consecutiveFailures]).toEqual([200, 'active', 0]);
    expect(await callbackState()).toEqual({ state: 'active', failures: 0 });
    // Two failures counted: one more would deactivate the URL just changed.
    await stack.db.query('UPDATE client_application SET callback_failures = ? WHERE id = ?', [FAILURES - 1, appId]);
    expect((await putCallback(stack, admin, appId, { url: receiver.url('/fixed') })).status).toBe(200);
    expect(await callbackState()).toEqual({ state: 'active', failures: 0 });
    // A delivered request sets a count left by failures back to zero too.
    await stack.db.query('UPDATE client_application SET callback_failures = ? WHERE id = ?', [FAILURES - 1, appId]);
    const res = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' });
    expect(res.status).toBe(200);
    await receiver.waitFor(() => receiver.delivered(res.body.conversation.id).length > 0);
    await waitFor(async () => (await callbackState()).failures === 0);
  });
});
