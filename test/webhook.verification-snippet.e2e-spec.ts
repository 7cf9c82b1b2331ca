import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clientOf, http, start, startDocument } from './support/client';
import { adminLogin, agentLogin, applicationId, message, putCallback, sendMessage } from './support/messaging';
import { Stack } from './support/stack';
import { WebhookReceiver, type ReceivedCallback } from './support/webhook-receiver';

type VerifyCallback = (secret: string, headers: Record<string, unknown>, rawBody: Buffer | string) => boolean;

/**
 * The plain Node.js verification code of docs/webhooks.md, read from the document itself, so
 * that what a client developer copies is what verifies the platform's real callbacks.
 */
function documentedVerifyCallback(): VerifyCallback {
  const doc = readFileSync(join(__dirname, '..', 'docs', 'webhooks.md'), 'utf8');
  const block = /Or in plain Node\.js:\s*```js\n([\s\S]*?)```/.exec(doc);
  if (!block) throw new Error('docs/webhooks.md: the plain Node.js verification code was not found');
  return new Function('require', `${block[1]}\nreturn verifyCallback;`)(require) as VerifyCallback;
}

describe('webhook: the documented verification code, over real callbacks', () => {
  const verifyCallback = documentedVerifyCallback();
  let stack: Stack;
  let receiver: WebhookReceiver;
  let admin: string;
  let appId: string;
  let secret: string;
  let client: { token: string; lm: string };

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    stack = await Stack.start();
    admin = await adminLogin(stack);
    appId = await applicationId(stack);
    secret = (await putCallback(stack, admin, appId, { url: receiver.url(), format: 'json' })).body.callback.signingSecret.value;
    client = await clientOf(stack);
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  /** A chat whose agent writes `html`: the delivered callback that carried that message. */
  async function callbackCarrying(html: string): Promise<ReceivedCallback> {
    const res = await start(stack, startDocument(client.lm), { token: client.token, query: 'anonymousCustomer=yes' });
    expect(res.status).toBe(200);
    const conversationId: string = res.body.conversation.id;
    const [assigned] = await receiver.waitFor(() => receiver.delivered(conversationId).length > 0 && receiver.delivered(conversationId));
    const agent = await agentLogin(stack, assigned.sender.user.id);
    expect((await sendMessage(stack, agent, message(conversationId, 'text/html', html), 'agent')).status).toBe(200);
    return receiver.waitFor(() => receiver.callbacks.find((c) => c.status === 200 && c.messages.some((m) => m.conversation.id === conversationId && m.type.value === 'text/html')));
  }

  /** What a receiver holds: the raw body bytes as they came. */
  const rawBodyOf = (c: ReceivedCallback) => Buffer.from(c.body, 'utf8');

  it.each(['json', 'xml'])('verifies a %s callback carrying non-ASCII text and line breaks, and refuses it altered or with another secret', async (format) => {
    expect((await putCallback(stack, admin, appId, { url: receiver.url(), format })).status).toBe(200);
    const callback = await callbackCarrying('<p>Café ☕ 😀 &amp; “quotes”</p>\r\n<p>second line</p>');
    expect(callback.headers['content-type']).toBe(`application/${format}; charset=utf-8`);
    // As the document shows the XML form: a declaration, and a carriage return as a reference.
    if (format === 'xml') expect([callback.body.startsWith('<?xml version="1.0" encoding="UTF-8"?><messages><message>'), callback.body.includes('&#13;')]).toEqual([true, true]);
    expect(verifyCallback(secret, callback.headers, rawBodyOf(callback))).toBe(true);
    expect(verifyCallback(secret, callback.headers, callback.body)).toBe(true);
    expect(verifyCallback(secret, callback.headers, Buffer.concat([rawBodyOf(callback), Buffer.from(' ')]))).toBe(false);
    expect(verifyCallback(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, callback.headers, rawBodyOf(callback))).toBe(false);
  });

  it('verifies with either secret while a rotation overlaps', async () => {
    expect((await putCallback(stack, admin, appId, { url: receiver.url(), format: 'json' })).status).toBe(200);
    const rotated = await http(`${stack.contextUrl}/ws/v19/administration/clientapplications/${appId}/callback/signing-secret`, { method: 'POST', headers: { Authorization: `Bearer ${admin}` } });
    expect(rotated.status).toBe(200);
    const next: string = rotated.body.signingSecret.value;
    const callback = await callbackCarrying('<p>after the rotation</p>');
    expect(String(callback.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect([verifyCallback(next, callback.headers, rawBodyOf(callback)), verifyCallback(secret, callback.headers, rawBodyOf(callback))]).toEqual([true, true]);
    secret = next;
  });
});
