import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { clientOf, http, lastModified, login, start, startDocument } from './support/client';
import { addChatApplication, adminLogin, applicationId, putCallback } from './support/messaging';
import { Stack, stopProcess, waitFor, waitForOutput, type RunningProcess } from './support/stack';
import { WebhookReceiver, type ReceivedCallback } from './support/webhook-receiver';

/**
 * Rotating the signing secret: for the overlap, every request carries a signature made with
 * the new secret and one made with the secret it replaced, so a receiver verifies with
 * either; with keepPreviousSeconds=0, or once the overlap is over, only the new one signs.
 * The platform runs with SECRETS_KEY: the secrets are stored encrypted, and used as given.
 */
describe('webhook: signing secrets, rotated and stored encrypted', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let admin: string;
  let appId: string;
  let secret: string;
  let client: { token: string; lm: string };

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    stack = await Stack.start({ agentCapacity: 100, env: { SECRETS_KEY: randomBytes(32).toString('base64') } });
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

  it('stores the signing secrets and the receiver\'s password encrypted, and signs and authenticates with them', async () => {
    const rotated = await rotate();
    const next: string = rotated.body.signingSecret.value;
    receiver.auth = { type: 'basic', username: 'hook-user', password: 'hook-password' };
    try {
      const put = await putCallback(stack, admin, appId, { url: receiver.url(), authentication: { type: 'basic', username: 'hook-user', password: 'hook-password' } });
      expect(put.body.callback.authentication).toEqual({ type: 'basic', username: 'hook-user', password: '********' });
      const [row] = await stack.db.query(
        'SELECT callback_signing_secret AS current, callback_previous_signing_secret AS previous, callback_auth_config AS config FROM client_application WHERE id = ?',
        [appId],
      );
      const config = typeof row.config === 'string' ? JSON.parse(row.config) : row.config;
      for (const [stored, plain] of [[row.current, next], [row.previous, secret], [config.password, 'hook-password']]) {
        expect(stored).toMatch(/^enc:v1:/);
        expect(stored).not.toContain(plain.replace(/^whsec_/, ''));
      }
      expect(config.username).toBe('hook-user');

      // A password left out keeps the stored one: read back, decrypted, and sealed again.
      expect((await putCallback(stack, admin, appId, { url: receiver.url(), authentication: { type: 'basic', username: 'hook-user' } })).status).toBe(200);
      const c = await nextCallback();
      expect(c.headers.authorization).toBe(`Basic ${Buffer.from('hook-user:hook-password').toString('base64')}`);
      expect([verifiesWith(next, c), verifiesWith(secret, c)]).toEqual([true, true]);
    } finally {
      receiver.auth = undefined;
    }
    secret = next;
  });

  it('takes a chosen overlap, and refuses one that is not 0 to 30 days without changing the secret', async () => {
    const rotated = await rotate('?keepPreviousSeconds=600');
    const until = Date.parse(rotated.body.signingSecret.previousValidUntil.date);
    expect(Math.abs(until - Date.now() - 600_000)).toBeLessThan(60_000);
    secret = rotated.body.signingSecret.value;

    const stored = () => stack.db.query('SELECT callback_signing_secret, callback_previous_signing_secret, callback_previous_secret_until FROM client_application WHERE id = ?', [appId]);
    const before = await stored();
    for (const bad of ['-1', '2592001', '1.5', 'soon']) {
      const res = await rotate(`?keepPreviousSeconds=${bad}`);
      expect([res.status, res.body.code, res.body.details]).toEqual([400, '400-105', 'keepPreviousSeconds']);
    }
    const repeated = await rotate('?keepPreviousSeconds=600&keepPreviousSeconds=600');
    expect([repeated.status, repeated.body.code, repeated.body.details]).toEqual([400, '400-104', 'keepPreviousSeconds']);
    expect(await stored()).toEqual(before);
    const c = await nextCallback();
    expect(verifiesWith(secret, c)).toBe(true);
  });

  it('a worker without the key cannot read the secrets: it says so, and the events wait for a worker that has it', async () => {
    const keyed = stack.workers[0];
    const keyless = await stack.startWorker({ SECRETS_KEY: '' });
    await stopProcess(keyed, 'SIGTERM');
    const res = await start(stack, startDocument(client.lm), { token: client.token, query: 'anonymousCustomer=yes' });
    expect(res.status).toBe(200);
    const conversationId: string = res.body.conversation.id;
    const line = await waitForOutput(keyless, /callback not sent: a stored secret cannot be read/);
    expect(line).toContain('no secrets key is configured');
    const pending = await stack.db.query("SELECT COUNT(*) AS n FROM webhook_delivery WHERE conversation_id = ? AND state = 'pending'", [conversationId]);
    expect(Number(pending[0].n)).toBeGreaterThan(0);
    expect(receiver.callbacks.some((c) => c.messages.some((m) => m.conversation.id === conversationId))).toBe(false);

    await stack.startWorker();
    await stopProcess(keyless, 'SIGTERM');
    const delivered = await receiver.waitFor(() => receiver.callbacks.find((c) => c.status === 200 && c.messages.some((m) => m.conversation.id === conversationId)));
    expect(verifiesWith(secret, delivered)).toBe(true);
  });
});

/**
 * The key that sealed an application's secrets is lost (in neither SECRETS_KEY nor
 * SECRETS_KEY_PREVIOUS): its settings still read, the administrator replaces the credentials and
 * rotates the signing secret without the old values, and meanwhile a delivery fails as an attempt
 * of its own (named, noted, retried with backoff, counting for no deactivation) rather than as an error retried at every wake-up.
 */
describe('webhook: secrets sealed with a key since lost', () => {
  const lostKey = randomBytes(32).toString('base64');
  const key = randomBytes(32).toString('base64');
  let stack: Stack;
  let receiver: WebhookReceiver;
  let admin: string;
  let appId: string;
  let worker: RunningProcess;
  const oldSecrets: string[] = ['hook-password', 'hook-secret'];
  // A second application, whose receiver takes OAuth2 tokens: its client secret is sealed with the lost key too.
  let oauthReceiver: WebhookReceiver;
  let oauthAppId: string;
  const oauth2 = (clientSecret?: string) => ({
    url: oauthReceiver.url(),
    authentication: { type: 'oauth2', tokenUrl: oauthReceiver.url('/token'), clientId: 'hook-client', ...(clientSecret ? { clientSecret } : {}) },
  });

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    oauthReceiver = await WebhookReceiver.start();
    oauthReceiver.auth = { type: 'bearer' };
    // The secrets are written through the api alone; the only worker is the one started below with the other key.
    stack = await Stack.start({ agentCapacity: 100, workers: 0, env: { SECRETS_KEY: lostKey } });
    admin = await adminLogin(stack);
    appId = await applicationId(stack);
    const put = await putCallback(stack, admin, appId, { url: receiver.url(), authentication: { type: 'basic', username: 'hook-user', password: 'hook-password' } });
    oldSecrets.push(put.body.callback.signingSecret.value);
    oauthAppId = await addChatApplication(stack, 'lost-key-oauth', 'lost-key-oauth-secret');
    const oauthPut = await putCallback(stack, admin, oauthAppId, oauth2('hook-secret'));
    oldSecrets.push(oauthPut.body.callback.signingSecret.value);
    const rotated = await http(`${stack.contextUrl}/ws/v19/administration/clientapplications/${appId}/callback/signing-secret?keepPreviousSeconds=3600`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}` },
    });
    oldSecrets.push(rotated.body.signingSecret.value);
    // Every process restarted with another key, the lost one nowhere.
    await stopProcess(stack.api, 'SIGTERM');
    await stack.startApi({ SECRETS_KEY: key });
    worker = await stack.startWorker({ SECRETS_KEY: key, WEBHOOK_DEACTIVATE_AFTER_FAILURES: '3', WEBHOOK_RETRY_BASE_MS: '100' });
    admin = await adminLogin(stack);
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
    await oauthReceiver?.stop();
  });

  const callbackUrl = (id = appId) => `${stack.contextUrl}/ws/v19/administration/clientapplications/${id}/callback`;
  const settings = (id = appId) => http(callbackUrl(id), { headers: { Authorization: `Bearer ${admin}` } });
  const storedSecrets = async (id = appId) =>
    (await stack.db.query('SELECT callback_signing_secret, callback_previous_signing_secret, callback_auth_config FROM client_application WHERE id = ?', [id]))[0];
  const patchApplication = (id: string, body: Record<string, unknown>) =>
    http(`${stack.contextUrl}/ws/v19/administration/clientapplications/${id}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  let conversationId: string;

  it('reads the settings without the secrets, naming those no configured key opens', async () => {
    const res = await settings();
    expect(res.status).toBe(200);
    expect(res.body.callback).toMatchObject({
      authentication: { type: 'basic', username: 'hook-user', password: '********' },
      signingSecret: { configured: true, previousValidUntil: expect.any(Object) },
      unreadableSecrets: ['signing', 'previous signing', 'credentials'],
      state: 'active',
    });
    for (const secret of oldSecrets) expect(res.text).not.toContain(secret);
  });

  it('does not send: each attempt is logged with the application and the secrets named and retried with backoff, and none counts towards deactivation', async () => {
    const client = await clientOf(stack);
    const res = await start(stack, startDocument(client.lm), { token: client.token, query: 'anonymousCustomer=yes' });
    expect(res.status).toBe(200);
    conversationId = res.body.conversation.id;
    const attempts = async () =>
      (await stack.db.query('SELECT state, attempts, last_result FROM webhook_delivery WHERE conversation_id = ? ORDER BY seq LIMIT 1', [conversationId]))[0];
    // More attempts than WEBHOOK_DEACTIVATE_AFTER_FAILURES (3): the receiver is not at fault.
    await waitFor(async () => Number((await attempts())?.attempts ?? 0) >= 4, 15000);
    const [app] = await stack.db.query('SELECT callback_state, callback_failures FROM client_application WHERE id = ?', [appId]);
    expect([app.callback_state, Number(app.callback_failures)]).toEqual(['active', 0]);
    expect((await settings()).body.callback.state).toBe('active');
    const line = JSON.parse(await waitForOutput(worker, /callback not sent: a stored secret cannot be read/));
    expect(line).toMatchObject({ clientApplicationId: appId, secrets: ['signing', 'previous signing', 'credentials'] });
    const output = [...worker.output, ...stack.api.output].join('\n');
    expect(output).not.toContain('webhook delivery failed');
    for (const secret of oldSecrets) expect(output).not.toContain(secret);
    expect(await attempts()).toMatchObject({ state: 'pending', last_result: expect.stringContaining('stored secret unreadable') });
    expect(receiver.callbacksOf(conversationId)).toEqual([]);
  });

  it('reactivates the URL without reading the secrets', async () => {
    // Deactivated meanwhile, as by a receiver that kept failing before the key was lost.
    await stack.db.query("UPDATE client_application SET callback_state = 'deactivated' WHERE id = ?", [appId]);
    const res = await http(`${callbackUrl()}/reactivate`, { method: 'POST', headers: { Authorization: `Bearer ${admin}` } });
    expect([res.status, res.body.callback?.state, res.body.callback?.unreadableSecrets]).toEqual([200, 'active', ['signing', 'previous signing', 'credentials']]);
  });

  it('moves the URL within its origin through the application\'s PATCH, leaving the unreadable password exactly as stored, and refuses another origin', async () => {
    const before = await storedSecrets();
    const moved = await patchApplication(appId, { callbackUrl: receiver.url('/moved') });
    expect([moved.status, moved.body.clientApplication?.callbackUrl]).toEqual([200, receiver.url('/moved')]);
    expect(await storedSecrets()).toEqual(before);
    const read = await settings();
    expect([read.body.callback.url, read.body.callback.unreadableSecrets]).toEqual([receiver.url('/moved'), ['signing', 'previous signing', 'credentials']]);

    // The stored password would follow the URL to a host of the changer's choosing.
    const elsewhere = await patchApplication(appId, { callbackUrl: `http://localhost:${receiver.port}/hook` });
    expect([elsewhere.status, elsewhere.body.code, elsewhere.body.details]).toEqual([400, '400-112', 'callbackUrl']);
    expect((await settings()).body.callback.url).toBe(receiver.url('/moved'));

    expect((await patchApplication(appId, { callbackUrl: receiver.url() })).status).toBe(200);
    expect(await storedSecrets()).toEqual(before);
  });

  it('asks for the password rather than keep one no key opens, and replaces it without reading it', async () => {
    const before = await storedSecrets();
    const kept = await putCallback(stack, admin, appId, { url: receiver.url(), authentication: { type: 'basic', username: 'hook-user' } });
    expect([kept.status, kept.body.code, kept.body.details]).toEqual([400, '400-112', 'authentication.password']);
    expect(await storedSecrets()).toEqual(before);

    const put = await putCallback(stack, admin, appId, { url: receiver.url(), authentication: { type: 'basic', username: 'hook-user', password: 'new-password' } });
    expect(put.status).toBe(200);
    expect(put.body.callback.unreadableSecrets).toEqual(['signing', 'previous signing']);
  });

  it('rotates the signing secret, dropping the unreadable one instead of signing with it, and delivers what waited', async () => {
    const rotated = await http(`${callbackUrl()}/signing-secret`, { method: 'POST', headers: { Authorization: `Bearer ${admin}` } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.signingSecret.previousValidUntil).toBeUndefined();
    const next: string = rotated.body.signingSecret.value;
    const read = await settings();
    expect(read.body.callback.unreadableSecrets).toBeUndefined();
    expect(read.body.callback.signingSecret).toEqual({ configured: true });

    receiver.auth = { type: 'basic', username: 'hook-user', password: 'new-password' };
    expect((await http(`${callbackUrl()}/reactivate`, { method: 'POST', headers: { Authorization: `Bearer ${admin}` } })).status).toBe(200);
    const c = await receiver.waitFor(() => receiver.callbacksOf(conversationId).find((x) => x.status === 200));
    expect(String(c.headers['webhook-signature']).split(' ')).toHaveLength(1);
    const headers = { 'webhook-id': String(c.headers['webhook-id']), 'webhook-timestamp': String(c.headers['webhook-timestamp']), 'webhook-signature': String(c.headers['webhook-signature']) };
    expect(() => new Webhook(next).verify(c.body, headers)).not.toThrow();
  });

  it('requests no OAuth2 token with a client secret no key opens, and fetches one with the client secret given again, then delivers', async () => {
    // Only the client secret left unreadable: the signing secret replaced at once.
    const rotated = await http(`${callbackUrl(oauthAppId)}/signing-secret?keepPreviousSeconds=0`, { method: 'POST', headers: { Authorization: `Bearer ${admin}` } });
    expect(rotated.status).toBe(200);
    expect((await settings(oauthAppId)).body.callback.unreadableSecrets).toEqual(['credentials']);

    const token = await login(stack, 'lost-key-oauth', 'lost-key-oauth-secret');
    const res = await start(stack, startDocument(await lastModified(stack, token)), { token, query: 'anonymousCustomer=yes' });
    expect(res.status).toBe(200);
    const conversationId: string = res.body.conversation.id;
    const attempts = async () => Number((await stack.db.query('SELECT MAX(attempts) AS n FROM webhook_delivery WHERE conversation_id = ?', [conversationId]))[0].n ?? 0);
    await waitFor(async () => (await attempts()) >= 2, 15000);
    expect(oauthReceiver.tokenRequests).toEqual([]);
    expect(oauthReceiver.callbacks).toEqual([]);
    const lines = worker.output.filter((l) => l.includes('callback not sent: a stored secret cannot be read')).map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.clientApplicationId === oauthAppId).map((l) => l.secrets)).toContainEqual(['credentials']);

    // Leaving it out to keep it is refused; the PATCH of the URL keeps it as stored (it goes to the token URL).
    const kept = await putCallback(stack, admin, oauthAppId, oauth2());
    expect([kept.status, kept.body.code, kept.body.details]).toEqual([400, '400-112', 'authentication.clientSecret']);
    const before = await storedSecrets(oauthAppId);
    expect((await patchApplication(oauthAppId, { callbackUrl: oauthReceiver.url('/moved') })).status).toBe(200);
    expect(await storedSecrets(oauthAppId)).toEqual(before);
    expect(oauthReceiver.tokenRequests).toEqual([]);

    oauthReceiver.oauthClient.secret = 'new-hook-secret';
    const put = await putCallback(stack, admin, oauthAppId, oauth2('new-hook-secret'));
    expect([put.status, put.body.callback.unreadableSecrets]).toEqual([200, undefined]);
    const delivered = await oauthReceiver.waitFor(() => oauthReceiver.callbacksOf(conversationId).find((c) => c.status === 200));
    expect(delivered.headers.authorization).toMatch(/^Bearer token-/);
    expect(oauthReceiver.tokenRequests.map((r) => r.headers.authorization)).toEqual([`Basic ${Buffer.from('hook-client:new-hook-secret').toString('base64')}`]);
    const output = [...worker.output, ...stack.api.output].join('\n');
    for (const secret of oldSecrets) expect(output).not.toContain(secret);
  });
});
