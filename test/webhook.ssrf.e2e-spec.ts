import { hostname } from 'node:os';
import { ERROR_CATALOGUE } from '../src/platform/errors/error-catalogue';
import { lastModified, login, start, startDocument } from './support/client';
import { adminLogin, applicationId, putCallback } from './support/messaging';
import { Stack, waitFor } from './support/stack';
import { WebhookReceiver } from './support/webhook-receiver';

/** With CALLBACK_BLOCK_PRIVATE_ADDRESSES on, callbacks never reach loopback or private addresses. */
describe('callback URLs and server-side request forgery', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    stack = await Stack.start({ env: { CALLBACK_BLOCK_PRIVATE_ADDRESSES: 'true', WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_RETRY_MAX_MS: '100' } });
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://[::1]/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://10.0.0.5/hook',
    'http://192.168.1.10/hook',
    'ftp://example.com/hook',
    'file:///etc/passwd',
  ])('refuses to save %s', async (url) => {
    const admin = await adminLogin(stack);
    const res = await putCallback(stack, admin, await applicationId(stack), { url });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(ERROR_CATALOGUE.BodyInvalid.code);
    expect(res.body.details).toBe('url');
  });

  it('does not connect when a stored name resolves to a private address at delivery time', async () => {
    // As if saved before the guard was on, or a name that re-resolves (DNS rebinding): checked at connect time.
    const url = `http://${hostname()}:${receiver.port}/hook`;
    const appId = await applicationId(stack);
    await stack.db.query("UPDATE client_application SET callback_url = ?, callback_signing_secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' WHERE id = ?", [url, appId]);
    const token = await login(stack);
    const res = await start(stack, startDocument(await lastModified(stack, token)), { token, query: 'anonymousCustomer=yes' });
    expect(res.status).toBe(200);
    await waitFor(async () => {
      const [row] = await stack.db.query('SELECT callback_failures FROM client_application WHERE id = ?', [appId]);
      return Number(row.callback_failures) >= 2;
    }, 15000);
    expect(receiver.callbacks).toHaveLength(0);
  });
});
