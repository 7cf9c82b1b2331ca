import { Webhook } from 'standardwebhooks';
import { SigningSecretForCallbackUrls1764800000000 } from '../src/migrations/1764800000000-signing-secret-for-callback-urls';
import { adminApi, adminLogin, type AdminApi } from './support/admin';
import { lastModified, login, start, startDocument } from './support/client';
import { Stack } from './support/stack';
import { WebhookReceiver, type ReceivedCallback } from './support/webhook-receiver';

/**
 * A callback URL set through the administration of client applications (create, PATCH)
 * behaves as one set through the callback settings API: a signing secret is generated and
 * answered once, and the events reach the receiver, signed with it.
 */
describe('webhook: a callback URL set through the client application administration', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let admin: AdminApi;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    // A failed delivery waits a minute before its retry, so only a URL change can deliver sooner.
    stack = await Stack.start({ agentCapacity: 20, env: { WEBHOOK_RETRY_BASE_MS: '60000', WEBHOOK_RETRY_MAX_MS: '60000' } });
    admin = adminApi(stack, await adminLogin(stack));
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  const verified = (secret: string, callback: ReceivedCallback) =>
    new Webhook(secret).verify(callback.body, {
      'webhook-id': String(callback.headers['webhook-id']),
      'webhook-timestamp': String(callback.headers['webhook-timestamp']),
      'webhook-signature': String(callback.headers['webhook-signature']),
    });

  async function startAs(app: { clientId: string; clientSecret: string }): Promise<string> {
    const token = await login(stack, app.clientId, app.clientSecret);
    const res = await start(stack, startDocument(await lastModified(stack, token)), { token, query: 'anonymousCustomer=yes' });
    expect(res.status).toBe(200);
    return res.body.conversation.id as string;
  }

  const assignedCallback = (conversationId: string, timeoutMs?: number) =>
    receiver.waitFor(() => receiver.callbacks.find((c) => c.status === 200 && c.messages.some((m) => m.conversation.id === conversationId && m.type.value === 'assigned')), timeoutMs);

  interface CallbackReading {
    url: string;
    consecutiveFailures: number;
    pendingEvents: number;
  }

  /** The application's callback as read once `done` holds, or the last reading after 5 s, for the test's own assertion to show. */
  async function callbackWhen(applicationId: string, done: (c: CallbackReading) => boolean): Promise<CallbackReading> {
    let reading!: CallbackReading;
    for (let i = 0; i < 100; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 50));
      reading = (await admin('GET', `clientapplications/${applicationId}/callback`)).body.callback;
      if (done(reading)) break;
    }
    return reading;
  }

  async function settledStates(conversationId: string): Promise<string[]> {
    for (let i = 0; i < 100; i++) {
      const rows: { state: string }[] = await stack.db.query('SELECT state FROM webhook_delivery WHERE conversation_id = ?', [conversationId]);
      if (rows.length > 0 && rows.every((r) => r.state !== 'pending')) return rows.map((r) => r.state);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the deliveries of ${conversationId} were not settled`);
  }

  it('create with callbackUrl: the signing secret is answered once and the assigned event arrives signed with it', async () => {
    const created = await admin('POST', 'clientapplications', { body: { name: 'Audit app', type: 'chat', entryPointIds: ['1001'], callbackUrl: receiver.url('/new') } });
    expect(created.status).toBe(201);
    const app = created.body.clientApplication;
    expect(app.callbackSigningSecret).toMatch(/^whsec_/);
    expect((await admin('GET', `clientapplications/${app.id}`)).body.clientApplication.callbackSigningSecret).toBeUndefined();
    const settings = (await admin('GET', `clientapplications/${app.id}/callback`)).body.callback;
    expect([settings.url, settings.signingSecret, settings.state]).toEqual([receiver.url('/new'), { configured: true }, 'active']);

    const conversationId = await startAs(app);
    const callback = await assignedCallback(conversationId);
    expect(callback.path).toBe('/new');
    expect(() => verified(app.callbackSigningSecret, callback)).not.toThrow();
    expect(await settledStates(conversationId)).toEqual(['delivered']);
  });

  it('PATCH callbackUrl: the first URL generates the secret, a changed URL keeps it and delivers what waits at once', async () => {
    const app = (await admin('POST', 'clientapplications', { body: { name: 'Later app', type: 'chat', entryPointIds: ['1001'] } })).body.clientApplication;
    expect(app.callbackSigningSecret).toBeUndefined();

    const first = await admin('PATCH', `clientapplications/${app.id}`, { body: { callbackUrl: receiver.url('/first') } });
    expect(first.status).toBe(200);
    const secret: string = first.body.clientApplication.callbackSigningSecret;
    expect(secret).toMatch(/^whsec_/);

    // The receiver fails the first request: its retry would wait a minute.
    receiver.plan.push({ status: 503 });
    const conversationId = await startAs(app);
    const failed = await receiver.waitFor(() => receiver.callbacks.find((c) => c.status === 503 && c.messages.some((m) => m.conversation.id === conversationId)));
    expect(failed.path).toBe('/first');
    const failing = await callbackWhen(app.id, (c) => c.consecutiveFailures === 1);
    expect([failing.consecutiveFailures, failing.pendingEvents]).toEqual([1, 1]);

    const moved = await admin('PATCH', `clientapplications/${app.id}`, { body: { callbackUrl: receiver.url('/second'), name: 'Later app 2' } });
    expect([moved.status, moved.body.clientApplication.name, moved.body.clientApplication.callbackSigningSecret]).toEqual([200, 'Later app 2', undefined]);
    const started = Date.now();
    const delivered = await assignedCallback(conversationId, 10000);
    expect([delivered.path, Date.now() - started < 10000]).toEqual(['/second', true]);
    expect(() => verified(secret, delivered)).not.toThrow();
    // The receiver has the request before the worker has recorded its answer: read until it has.
    const after = await callbackWhen(app.id, (c) => c.pendingEvents === 0);
    expect([after.url, after.consecutiveFailures, after.pendingEvents]).toEqual([receiver.url('/second'), 0, 0]);

    const cleared = await admin('PATCH', `clientapplications/${app.id}`, { body: { callbackUrl: '' } });
    expect([cleared.status, cleared.body.clientApplication.callbackUrl]).toEqual([200, undefined]);
    expect((await admin('GET', `clientapplications/${app.id}/callback`)).body.callback.signingSecret).toEqual({ configured: true });
  });

  it('refuses a URL the callback settings API refuses, and changes nothing', async () => {
    const app = (await admin('POST', 'clientapplications', { body: { name: 'Strict app', type: 'chat', entryPointIds: ['1001'] } })).body.clientApplication;
    const refused = await admin('PATCH', `clientapplications/${app.id}`, { body: { name: 'Renamed', callbackUrl: 'https://r.example/hook#part' } });
    expect([refused.status, refused.body.details]).toEqual([400, 'callbackUrl']);
    const [row] = await stack.db.query('SELECT name, callback_url, callback_signing_secret FROM client_application WHERE id = ?', [app.id]);
    expect([row.name, row.callback_url, row.callback_signing_secret]).toEqual(['Strict app', null, null]);
  });

  it('PUT .../callback names every refused member by its path in the body, as the start does, and changes nothing', async () => {
    const app = (await admin('POST', 'clientapplications', { body: { name: 'Named fields', type: 'chat', entryPointIds: ['1001'] } })).body.clientApplication;
    const ok = 'https://r.example/hook';
    const cases: [Record<string, unknown>, string][] = [
      [{ format: 'json' }, 'url'],
      [{ url: 42 }, 'url'],
      [{ url: `https://r.example/${'a'.repeat(2048)}` }, 'url'],
      [{ url: 'not a url' }, 'url'],
      [{ url: 'https://r.example/hook#part' }, 'url'],
      [{ url: ' https://r.example/hook' }, 'url'],
      [{ url: 'https://r.exa\tmple/hook' }, 'url'],
      [{ url: ok, format: 'yaml' }, 'format'],
      [{ url: ok, authentication: 'basic' }, 'authentication'],
      [{ url: ok, authentication: { type: 'digest' } }, 'authentication.type'],
      [{ url: ok, authentication: { type: 'basic', password: 'p' } }, 'authentication.username'],
      [{ url: ok, authentication: { type: 'basic', username: 'a:b', password: 'p' } }, 'authentication.username'],
      [{ url: ok, authentication: { type: 'basic', username: 'u' } }, 'authentication.password'],
      [{ url: ok, authentication: { type: 'basic', username: 'u', password: 7 } }, 'authentication.password'],
      [{ url: ok, authentication: { type: 'oauth2', clientId: 'c', clientSecret: 's' } }, 'authentication.tokenUrl'],
      [{ url: ok, authentication: { type: 'oauth2', tokenUrl: 'ftp://t.example/token', clientId: 'c', clientSecret: 's' } }, 'authentication.tokenUrl'],
      [{ url: ok, authentication: { type: 'oauth2', tokenUrl: 'https://t.example/to\r\nken', clientId: 'c', clientSecret: 's' } }, 'authentication.tokenUrl'],
      [{ url: ok, authentication: { type: 'oauth2', tokenUrl: 'https://t.example/token', clientSecret: 's' } }, 'authentication.clientId'],
      [{ url: ok, authentication: { type: 'oauth2', tokenUrl: 'https://t.example/token', clientId: 'c' } }, 'authentication.clientSecret'],
      [{ url: ok, authentication: { type: 'none', extra: 1 } }, 'authentication.extra'],
    ];
    const answers = [];
    for (const [body] of cases) {
      const res = await admin('PUT', `clientapplications/${app.id}/callback`, { body });
      answers.push([res.status, res.body.code, res.body.details]);
    }
    expect(answers).toEqual(cases.map(([, field]) => [400, '400-112', field]));
    const after = (await admin('GET', `clientapplications/${app.id}/callback`)).body.callback;
    expect([after.url, after.authentication, after.signingSecret]).toEqual([undefined, { type: 'none' }, { configured: false }]);
  });

  it('a stored Basic password or OAuth2 client secret stays only while it goes to the same origin; moving it elsewhere needs it again', async () => {
    const app = (await admin('POST', 'clientapplications', { body: { name: 'Bound secrets', type: 'chat', entryPointIds: ['1001'] } })).body.clientApplication;
    const here = receiver.url('/bound');
    const elsewhere = here.replace('127.0.0.1', 'localhost');
    const basic = { type: 'basic', username: 'hooks', password: 'first-password' };
    expect((await admin('PUT', `clientapplications/${app.id}/callback`, { body: { url: here, authentication: basic } })).status).toBe(200);

    const kept = await admin('PUT', `clientapplications/${app.id}/callback`, { body: { url: receiver.url('/bound-2'), authentication: { type: 'basic', username: 'hooks' } } });
    expect(kept.status).toBe(200);
    const moved = await admin('PUT', `clientapplications/${app.id}/callback`, { body: { url: elsewhere, authentication: { type: 'basic', username: 'hooks' } } });
    expect([moved.status, moved.body.code, moved.body.details]).toEqual([400, '400-112', 'authentication.password']);
    const patched = await admin('PATCH', `clientapplications/${app.id}`, { body: { name: 'Renamed', callbackUrl: elsewhere } });
    expect([patched.status, patched.body.code, patched.body.details]).toEqual([400, '400-112', 'callbackUrl']);
    const [row] = await stack.db.query('SELECT name, callback_url FROM client_application WHERE id = ?', [app.id]);
    expect([row.name, row.callback_url]).toEqual(['Bound secrets', receiver.url('/bound-2')]);
    const again = await admin('PUT', `clientapplications/${app.id}/callback`, { body: { url: elsewhere, authentication: { ...basic, password: 'given-again' } } });
    expect([again.status, again.body.callback.url]).toEqual([200, elsewhere]);

    const oauth2 = { type: 'oauth2', tokenUrl: receiver.url('/token'), clientId: 'hooks', clientSecret: 'client-secret' };
    expect((await admin('PUT', `clientapplications/${app.id}/callback`, { body: { url: here, authentication: oauth2 } })).status).toBe(200);
    const { clientSecret: _left, ...withoutSecret } = oauth2;
    const sameTokenOrigin = await admin('PUT', `clientapplications/${app.id}/callback`, { body: { url: elsewhere, authentication: { ...withoutSecret, tokenUrl: receiver.url('/token-2') } } });
    expect(sameTokenOrigin.status).toBe(200);
    const movedToken = await admin('PUT', `clientapplications/${app.id}/callback`, { body: { url: here, authentication: { ...withoutSecret, tokenUrl: oauth2.tokenUrl.replace('127.0.0.1', 'localhost') } } });
    expect([movedToken.status, movedToken.body.details]).toEqual([400, 'authentication.clientSecret']);
  });

  it('the migration gives a signing secret to every URL stored without one, and to nothing else', async () => {
    const withUrl = (await admin('POST', 'clientapplications', { body: { name: 'Old app', type: 'chat', entryPointIds: ['1001'] } })).body.clientApplication.id;
    const without = (await admin('POST', 'clientapplications', { body: { name: 'No URL', type: 'chat', entryPointIds: ['1001'] } })).body.clientApplication.id;
    await stack.db.query("UPDATE client_application SET callback_url = 'https://old.example/hook' WHERE id = ?", [withUrl]);
    const runner = stack.db.createQueryRunner();
    try {
      await new SigningSecretForCallbackUrls1764800000000().up(runner);
    } finally {
      await runner.release();
    }
    const rows = await stack.db.query('SELECT id, callback_signing_secret AS secret FROM client_application WHERE id IN (?, ?) ORDER BY id', [withUrl, without]);
    expect(rows.map((r: { secret: string | null }) => r.secret)).toEqual([expect.stringMatching(/^whsec_/), null]);
  });
});
