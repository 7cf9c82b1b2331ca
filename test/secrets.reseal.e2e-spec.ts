import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { SecretBox } from '../src/platform/security/secret-box';
import { clientOf, http, start, startDocument } from './support/client';
import { addChatApplication, adminLogin, applicationId, putCallback } from './support/messaging';
import { Stack, type RunningProcess } from './support/stack';
import { WebhookReceiver } from './support/webhook-receiver';

const newKey = () => randomBytes(32).toString('base64');

/** One run of the command, to its exit: its code and its lines. */
async function resealRun(stack: Stack, env: Record<string, string>): Promise<{ code: number | null; output: string[] }> {
  const cli: RunningProcess = stack.spawn('dist/src/cli/reseal-secrets.js', env);
  const code = await new Promise<number | null>((resolve) => cli.child.once('exit', resolve));
  return { code, output: cli.output };
}

/** An application's signing secret, previous signing secret and Basic password, as stored. */
async function storedSecrets(stack: Stack, appId: string): Promise<string[]> {
  const [row] = await stack.db.query(
    'SELECT callback_signing_secret AS current, callback_previous_signing_secret AS previous, callback_auth_config AS config FROM client_application WHERE id = ?',
    [appId],
  );
  const config = typeof row.config === 'string' ? JSON.parse(row.config) : row.config;
  return [row.current, row.previous, config.password];
}

const signingContext = (appId: string) => `client_application/${appId}/callback-signing-secret`;

const openedSecrets = (box: SecretBox, appId: string, [current, previous, password]: string[]) => [
  box.open(current, signingContext(appId)),
  box.open(previous, signingContext(appId)),
  box.open(password, `client_application/${appId}/callback-credentials`),
];

const logLines = (output: string[]) => output.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

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
    // No worker until the last case, which starts one with the new key alone: the runs of the
    // command before it need the database only, and a worker is a process start of its own.
    stack = await Stack.start({ agentCapacity: 100, workers: 0, env: { SECRETS_KEY: oldKey } });
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

  const reseal = (env: Record<string, string>) => resealRun(stack, env);
  const stored = () => storedSecrets(stack, appId);
  const opened = (box: SecretBox, secrets: string[]) => openedSecrets(box, appId, secrets);

  it('names each secret no configured key opens, exits 1, and changes nothing', async () => {
    const before = await stored();
    const run = await reseal({ SECRETS_KEY: key });
    expect(run.code).toBe(1);
    const lines = logLines(run.output);
    expect(lines.filter((l) => l.msg === 'stored secret unreadable, left as stored').map((l) => [l.clientApplicationId, l.secret])).toEqual([
      [appId, 'signing'],
      [appId, 'previous signing'],
      [appId, 'credentials'],
    ]);
    expect(run.output.join('\n')).toMatch(new RegExp(`client_application/${appId}/.*does not decrypt`));
    for (const secret of [signing.current, signing.previous, 'hook-password']) expect(run.output.join('\n')).not.toContain(secret);
    expect(lines.at(-1)).toMatchObject({ level: 'error', resealed: 0, unreadable: 3, msg: expect.stringContaining('set the key they were sealed with in SECRETS_KEY_PREVIOUS') });
    expect(lines.at(-1)?.msg).toContain('if that key is lost, replace each through the administration API (docs/webhooks.md, A lost key)');
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
    expect(stack.workers).toEqual([]);
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

/**
 * One secret sealed with a key left out of SECRETS_KEY_PREVIOUS (a value from before an
 * earlier replacement, never resealed) among several applications: the run reseals every
 * other secret, those of the applications after it included, names the one it cannot read,
 * and exits 1; with that key added, a second run reseals what is left.
 */
describe('secrets:reseal, several applications and one secret no configured key opens', () => {
  const strayKey = newKey();
  const oldKey = newKey();
  const key = newKey();
  let stack: Stack;
  const apps: { id: string; secrets: string[] }[] = [];

  beforeAll(async () => {
    // The command reads the database alone: the api writes the secrets, no worker is needed.
    stack = await Stack.start({ workers: 0, env: { SECRETS_KEY: oldKey } });
    const admin = await adminLogin(stack);
    for (const n of [1, 2, 3]) {
      const id = await addChatApplication(stack, `reseal-app-${n}`, `reseal-app-${n}-secret`);
      const password = `hook-password-${n}`;
      const put = await putCallback(stack, admin, id, { url: 'http://127.0.0.1:9/hooks', authentication: { type: 'basic', username: 'hook-user', password } });
      expect(put.status).toBe(200);
      const rotated = await http(`${stack.contextUrl}/ws/v19/administration/clientapplications/${id}/callback/signing-secret?keepPreviousSeconds=3600`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${admin}` },
      });
      expect(rotated.status).toBe(200);
      apps.push({ id, secrets: [rotated.body.signingSecret.value, put.body.callback.signingSecret.value, password] });
    }
    const middle = apps[1];
    const stray = SecretBox.fromBase64Key(strayKey).seal(middle.secrets[1], signingContext(middle.id));
    await stack.db.query('UPDATE client_application SET callback_previous_signing_secret = ? WHERE id = ?', [stray, middle.id]);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('reseals every readable secret, names the unreadable one, leaves it as stored and exits 1; a run with its key finishes', async () => {
    const [first, middle, last] = apps;
    expect(Number(first.id)).toBeLessThan(Number(middle.id));
    expect(Number(middle.id)).toBeLessThan(Number(last.id));
    const strayStored = (await storedSecrets(stack, middle.id))[1];

    const run = await resealRun(stack, { SECRETS_KEY: key, SECRETS_KEY_PREVIOUS: oldKey });
    expect(run.code).toBe(1);
    const newBox = SecretBox.fromBase64Key(key);
    for (const app of [first, last]) expect(openedSecrets(newBox, app.id, await storedSecrets(stack, app.id))).toEqual(app.secrets);
    const [middleSigning, middlePrevious, middlePassword] = await storedSecrets(stack, middle.id);
    expect(middlePrevious).toBe(strayStored);
    expect([newBox.open(middleSigning, signingContext(middle.id)), newBox.open(middlePassword, `client_application/${middle.id}/callback-credentials`)]).toEqual([
      middle.secrets[0],
      middle.secrets[2],
    ]);
    const lines = logLines(run.output);
    expect(lines.filter((l) => l.msg === 'stored secret unreadable, left as stored')).toEqual([
      expect.objectContaining({ level: 'error', clientApplicationId: middle.id, secret: 'previous signing', reason: expect.stringContaining('does not decrypt') }),
    ]);
    expect(lines.at(-1)).toMatchObject({ level: 'error', applications: 3, resealed: 8, unreadable: 1, msg: expect.stringContaining('SECRETS_KEY_PREVIOUS') });
    expect(lines.some((l) => l.msg === 'stored secrets resealed')).toBe(false);
    for (const secret of [...apps.flatMap((a) => a.secrets), strayStored]) expect(run.output.join('\n')).not.toContain(secret);

    const afterFirstRun = await Promise.all(apps.map((a) => storedSecrets(stack, a.id)));
    const again = await resealRun(stack, { SECRETS_KEY: key, SECRETS_KEY_PREVIOUS: `${oldKey},${strayKey}` });
    expect(again.code).toBe(0);
    expect(logLines(again.output).at(-1)).toMatchObject({ level: 'info', msg: 'stored secrets resealed', applications: 3, resealed: 1 });
    const now = await Promise.all(apps.map((a) => storedSecrets(stack, a.id)));
    expect([now[0], now[2]]).toEqual([afterFirstRun[0], afterFirstRun[2]]);
    expect([now[1][0], now[1][2]]).toEqual([afterFirstRun[1][0], afterFirstRun[1][2]]);
    for (const [i, app] of apps.entries()) expect(openedSecrets(newBox, app.id, now[i])).toEqual(app.secrets);
  });
});
