import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { SecretBox } from '../src/platform/security/secret-box';
import { clientOf, http, start, startDocument } from './support/client';
import { adminLogin, applicationId, putCallback } from './support/messaging';
import { Stack, stopProcess, type RunningProcess } from './support/stack';
import { WebhookReceiver } from './support/webhook-receiver';

const newKey = () => randomBytes(32).toString('base64');

/**
 * Replacing SECRETS_KEY: the old key moves to SECRETS_KEY_PREVIOUS, `npm run secrets:reseal`
 * seals every stored callback secret with the new one, and the old key can then go.
 */
describe('secrets:reseal, replacing SECRETS_KEY', () => {
  const oldKey = newKey();
  const key = newKey();
  let stack: Stack;
  let receiver: WebhookReceiver;
  let appId: string;
  let signing: { current: string; previous: string };

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    stack = await Stack.start({ agentCapacity: 100, env: { SECRETS_KEY: oldKey } });
    const admin = await adminLogin(stack);
    appId = await applicationId(stack);
    const auth = { type: 'basic', username: 'hook-user', password: 'hook-password' };
    const first: string = (await putCallback(stack, admin, appId, { url: receiver.url(), authentication: auth })).body.callback.signingSecret.value;
    const rotated = await http(`${stack.contextUrl}/ws/v19/administration/clientapplications/${appId}/callback/signing-secret?keepPreviousSeconds=3600`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}` },
    });
    signing = { current: rotated.body.signingSecret.value, previous: first };
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  async function reseal(env: Record<string, string>): Promise<{ code: number | null; output: string[] }> {
    const cli: RunningProcess = stack.spawn('dist/src/cli/reseal-secrets.js', env);
    const code = await new Promise<number | null>((resolve) => cli.child.once('exit', resolve));
    return { code, output: cli.output };
  }

  async function stored(): Promise<string[]> {
    const [row] = await stack.db.query(
      'SELECT callback_signing_secret AS current, callback_previous_signing_secret AS previous, callback_auth_config AS config FROM client_application WHERE id = ?',
      [appId],
    );
    const config = typeof row.config === 'string' ? JSON.parse(row.config) : row.config;
    return [row.current, row.previous, config.password];
  }

  const opened = (box: SecretBox, [current, previous, password]: string[]) => [
    box.open(current, `client_application/${appId}/callback-signing-secret`),
    box.open(previous, `client_application/${appId}/callback-signing-secret`),
    box.open(password, `client_application/${appId}/callback-credentials`),
  ];

  it('refuses to run when no configured key opens a stored secret, and changes nothing', async () => {
    const before = await stored();
    const run = await reseal({ SECRETS_KEY: key });
    expect(run.code).toBe(1);
    expect(run.output.join('\n')).toMatch(new RegExp(`client_application/${appId}/.*does not decrypt.*set the key it was sealed with in SECRETS_KEY_PREVIOUS`));
    expect(await stored()).toEqual(before);
  });

  it('seals every secret with the new key, then finds nothing left to do', async () => {
    const run = await reseal({ SECRETS_KEY: key, SECRETS_KEY_PREVIOUS: oldKey });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.output.find((l) => l.includes('stored secrets resealed'))!)).toMatchObject({ resealed: 3 });
    const now = await stored();
    expect(opened(SecretBox.fromBase64Key(key), now)).toEqual([signing.current, signing.previous, 'hook-password']);
    expect(() => opened(SecretBox.fromBase64Key(oldKey), now)).toThrow(/does not decrypt/);

    const again = await reseal({ SECRETS_KEY: key, SECRETS_KEY_PREVIOUS: oldKey });
    expect(JSON.parse(again.output.find((l) => l.includes('stored secrets resealed'))!)).toMatchObject({ resealed: 0 });
    expect(await stored()).toEqual(now);
  });

  it('reseals what the old key sealed and leaves as stored what the new key sealed already, in the same row', async () => {
    // As after a rotation of the signing secret made under the new key while the previous
    // secret was still sealed with the old one.
    const before = await stored();
    const underOldKey = SecretBox.fromBase64Key(oldKey).seal(signing.previous, `client_application/${appId}/callback-signing-secret`);
    await stack.db.query('UPDATE client_application SET callback_previous_signing_secret = ? WHERE id = ?', [underOldKey, appId]);

    const run = await reseal({ SECRETS_KEY: key, SECRETS_KEY_PREVIOUS: oldKey });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.output.find((l) => l.includes('stored secrets resealed'))!)).toMatchObject({ resealed: 1 });
    const now = await stored();
    expect([now[0], now[2]]).toEqual([before[0], before[2]]);
    expect(opened(SecretBox.fromBase64Key(key), now)).toEqual([signing.current, signing.previous, 'hook-password']);
  });

  it('a worker with the new key alone delivers: Basic credentials and both signatures as before', async () => {
    await stopProcess(stack.workers[0], 'SIGTERM');
    await stack.startWorker({ SECRETS_KEY: key });
    receiver.auth = { type: 'basic', username: 'hook-user', password: 'hook-password' };
    const client = await clientOf(stack);
    const res = await start(stack, startDocument(client.lm), { token: client.token, query: 'anonymousCustomer=yes' });
    expect(res.status).toBe(200);
    const conversationId: string = res.body.conversation.id;
    const c = await receiver.waitFor(() => receiver.callbacks.find((x) => x.status === 200 && x.messages.some((m) => m.conversation.id === conversationId)));
    expect(c.headers.authorization).toBe(`Basic ${Buffer.from('hook-user:hook-password').toString('base64')}`);
    const headers = { 'webhook-id': String(c.headers['webhook-id']), 'webhook-timestamp': String(c.headers['webhook-timestamp']), 'webhook-signature': String(c.headers['webhook-signature']) };
    for (const secret of [signing.current, signing.previous]) expect(() => new Webhook(secret).verify(c.body, headers)).not.toThrow();
  });
});
