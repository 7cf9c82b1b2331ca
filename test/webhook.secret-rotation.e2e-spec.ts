import { Webhook } from 'standardwebhooks';
import { clientOf, http, start, startDocument } from './support/client';
import { adminLogin, applicationId, putCallback } from './support/messaging';
import { Stack } from './support/stack';
import { WebhookReceiver, type ReceivedCallback } from './support/webhook-receiver';

/**
 * Rotating the signing secret: for the overlap, every request carries a signature made with
 * the new secret and one made with the secret it replaced, so a receiver verifies with
 * either; with keepPreviousSeconds=0, or once the overlap is over, only the new one signs.
 */
describe('webhook: signing-secret rotation', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let admin: string;
  let appId: string;
  let secret: string;
  let client: { token: string; lm: string };

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    stack = await Stack.start({ agentCapacity: 100 });
    admin = await adminLogin(stack);
    appId = await applicationId(stack);
    secret = (await putCallback(stack, admin, appId, { url: receiver.url() })).body.callback.signingSecret.value;
    client = await clientOf(stack);
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  const callbackUrl = () => `${stack.contextUrl}/ws/v19/administration/clientapplications/${appId}/callback`;
  const rotate = (query = '') => http(`${callbackUrl()}/signing-secret${query}`, { method: 'POST', headers: { Authorization: `Bearer ${admin}` } });
  const settings = () => http(callbackUrl(), { headers: { Authorization: `Bearer ${admin}` } });

  /** Starts a chat and returns the callback that announced its assignment. */
  async function nextCallback(): Promise<ReceivedCallback> {
    const res = await start(stack, startDocument(client.lm), { token: client.token, query: 'anonymousCustomer=yes' });
    expect(res.status).toBe(200);
    const conversationId: string = res.body.conversation.id;
    return receiver.waitFor(() => receiver.callbacks.find((c) => c.status === 200 && c.messages.some((m) => m.conversation.id === conversationId)));
  }

  function verifiesWith(key: string, c: ReceivedCallback): boolean {
    const headers = { 'webhook-id': String(c.headers['webhook-id']), 'webhook-timestamp': String(c.headers['webhook-timestamp']), 'webhook-signature': String(c.headers['webhook-signature']) };
    try {
      new Webhook(key).verify(c.body, headers);
      return true;
    } catch {
      return false;
    }
  }

  it('signs with the new and the replaced secret for the configured overlap (24 h), then with the new one only', async () => {
    const before = Date.now();
    const rotated = await rotate();
    expect(rotated.status).toBe(200);
    const next: string = rotated.body.signingSecret.value;
    expect(next).toMatch(/^whsec_/);
    expect(next).not.toBe(secret);
    const until = Date.parse(rotated.body.signingSecret.previousValidUntil.date);
    expect(until - before).toBeGreaterThan(86_400_000 - 60_000);
    expect(until - before).toBeLessThan(86_400_000 + 60_000);
    expect((await settings()).body.callback.signingSecret).toEqual({ configured: true, previousValidUntil: rotated.body.signingSecret.previousValidUntil });

    const during = await nextCallback();
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect([verifiesWith(next, during), verifiesWith(secret, during)]).toEqual([true, true]);

    // The overlap ends by the database's clock.
    await stack.db.query('UPDATE client_application SET callback_previous_secret_until = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [appId]);
    const after = await nextCallback();
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect([verifiesWith(next, after), verifiesWith(secret, after)]).toEqual([true, false]);
    expect((await settings()).body.callback.signingSecret).toEqual({ configured: true });
    secret = next;
  });

  it('with keepPreviousSeconds=0 (a leaked secret) the replaced secret stops signing at once', async () => {
    const rotated = await rotate('?keepPreviousSeconds=0');
    expect(rotated.status).toBe(200);
    expect(rotated.body.signingSecret.previousValidUntil).toBeUndefined();
    const next: string = rotated.body.signingSecret.value;
    const c = await nextCallback();
    expect([verifiesWith(next, c), verifiesWith(secret, c)]).toEqual([true, false]);
    secret = next;
  });

  it('takes a chosen overlap, and refuses one that is not 0 to 30 days without changing the secret', async () => {
    const rotated = await rotate('?keepPreviousSeconds=600');
    const until = Date.parse(rotated.body.signingSecret.previousValidUntil.date);
    expect(Math.abs(until - Date.now() - 600_000)).toBeLessThan(60_000);
    secret = rotated.body.signingSecret.value;

    for (const bad of ['-1', '2592001', '1.5', 'soon']) {
      const res = await rotate(`?keepPreviousSeconds=${bad}`);
      expect([res.status, res.body.code, res.body.details]).toEqual([400, '400-105', 'keepPreviousSeconds']);
    }
    const [row] = await stack.db.query('SELECT callback_signing_secret FROM client_application WHERE id = ?', [appId]);
    expect(row.callback_signing_secret).toBe(secret);
  });
});
