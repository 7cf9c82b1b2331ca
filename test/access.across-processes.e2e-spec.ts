import { adminApi, adminLogin } from './support/admin';
import { agentCall, agentLogin } from './support/assignment';
import { http, login, type HttpResult } from './support/client';
import { freePort } from './support/operations';
import { type RunningProcess, Stack, stopProcess, waitFor } from './support/stack';
import { expectError } from './support/ws-error';

/** Far longer than the test: what the other host refuses it can only refuse through the notice. */
const SESSION_CACHE_TTL_MS = 600_000;
const CONFIG_CACHE_TTL_MS = 600_000;
/** Far shorter than the caches' TTL, so only the notice can make the change apply in time. */
const NOTICE_WITHIN_MS = 5_000;

/**
 * Ending a session, or taking an entry point or the chat type away from an application,
 * applies at once on every api host, not only on the one that made the change: the other
 * hosts cache sessions (SESSION_CACHE_TTL_MS) and applications (CONFIG_CACHE_TTL_MS) and are
 * told on Redis. Two api hosts on one database and Redis; each token is first used on the
 * second host, so that it sits in that host's caches, then ended (or its access changed)
 * through the first.
 */
describe('access ended on one api host ends on the others at once', () => {
  let stack: Stack;
  let second: RunningProcess;
  let secondUrl: string;

  beforeAll(async () => {
    stack = await Stack.start({ workers: 0, env: { SESSION_CACHE_TTL_MS: String(SESSION_CACHE_TTL_MS), CONFIG_CACHE_TTL_MS: String(CONFIG_CACHE_TTL_MS), SESSION_MAX_PER_APPLICATION: '2' } });
    const port = await freePort();
    second = stack.spawn('dist/src/main.js', { HTTP_PORT: String(port) });
    secondUrl = `http://127.0.0.1:${port}/system/ws/v19`;
    await waitFor(async () => {
      if (second.child.exitCode !== null) throw new Error(`second api exited (${second.child.exitCode}):\n${second.output.slice(-20).join('\n')}`);
      return fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false);
    }, 30000);
  });

  afterAll(async () => {
    if (second) await stopProcess(second, 'SIGTERM');
    await stack?.stop();
  });

  const onSecond = (path: string, token: string): Promise<HttpResult> => http(`${secondUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const clientCall = (token: string) => onSecond('/clientapplications/messaging/configuration?entrypoint=1001', token);
  const agentAvailability = (token: string) => onSecond('/agent/availability', token);

  /**
   * The second host refuses the token within seconds (the notice's way through Redis), where its
   * cache would admit it for ten minutes; the notice takes milliseconds, a loaded machine longer.
   */
  async function refusedOnSecond(call: () => Promise<HttpResult>): Promise<HttpResult> {
    return waitFor(async () => {
      const res = await call();
      return res.status === 401 ? res : undefined;
    }, NOTICE_WITHIN_MS, 20);
  }

  async function endClientSessions(): Promise<void> {
    await stack.db.query("UPDATE session SET ended_at = NOW(3) WHERE kind = 'client_application' AND ended_at IS NULL");
  }

  it('a revoked client application token', async () => {
    await endClientSessions();
    const token = await login(stack);
    expect((await clientCall(token)).status).toBe(200);
    const revoke = await http(`${stack.clientApiUrl}/authentication/oauth2/revoke`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    expect(revoke.status).toBe(204);
    expectError(await refusedOnSecond(() => clientCall(token)), 'SessionNotFound', 'Authorization');
  });

  it('an agent token after its logout', async () => {
    const alice = await agentLogin(stack, 'alice');
    expect((await agentAvailability(alice.token)).status).toBe(200);
    const logout = await http(`${stack.contextUrl}/ws/v19/agent/authentication/logout`, { method: 'POST', headers: { Authorization: `Bearer ${alice.token}` } });
    expect(logout.status).toBe(204);
    expectError(await refusedOnSecond(() => agentAvailability(alice.token)), 'SessionNotFound', 'Authorization');
  });

  it('every token of a client application whose secret was rotated', async () => {
    await endClientSessions();
    const tokens = [await login(stack), await login(stack)];
    for (const token of tokens) expect((await clientCall(token)).status).toBe(200);
    const admin = adminApi(stack, await adminLogin(stack));
    expect((await admin('POST', 'clientapplications/1/secret')).status).toBe(200);
    for (const token of tokens) expectError(await refusedOnSecond(() => clientCall(token)), 'SessionNotFound', 'Authorization');
  });

  it('the oldest token, ended by a forceLogin', async () => {
    await endClientSessions();
    const { otherClientKey: key, otherClientSecret: secret } = stack.credentials;
    const oldest = await login(stack, key, secret);
    const newer = await login(stack, key, secret);
    expect((await clientCall(oldest)).status).toBe(200);
    const forced = await http(`${stack.clientApiUrl}/authentication/oauth2/token?forceLogin=yes`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(forced.status).toBe(200);
    expectError(await refusedOnSecond(() => clientCall(oldest)), 'SessionNotFound', 'Authorization');
    expect((await clientCall(newer)).status).toBe(200);
  });

  it('a token that expires while the second host holds it in its cache is refused there at once', async () => {
    await endClientSessions();
    // The other application: the chat one's secret was rotated above.
    const token = await login(stack, stack.credentials.otherClientKey, stack.credentials.otherClientSecret);
    // Read live on the second host with 3 s left: its cache would admit it for ten minutes.
    await stack.db.query('UPDATE session SET expires_at = NOW(3) + INTERVAL 3 SECOND WHERE token_hash = UNHEX(SHA2(?, 256))', [token]);
    expect((await clientCall(token)).status).toBe(200);
    expectError(await refusedOnSecond(() => clientCall(token)), 'SessionNotFound', 'Authorization');
  });

  it('a session of another kind is left alone: an agent token sent to the revoke stays live everywhere', async () => {
    const bob = await agentLogin(stack, 'bob');
    expect((await agentAvailability(bob.token)).status).toBe(200);
    const revoke = await http(`${stack.clientApiUrl}/authentication/oauth2/revoke`, { method: 'POST', headers: { Authorization: `Bearer ${bob.token}` } });
    expectError(revoke, 'NotClientApplicationSession', 'Authorization');
    expect((await agentAvailability(bob.token)).status).toBe(200);
    expect((await agentCall(stack, bob.token, 'GET', '/availability')).status).toBe(200);
  });

  it('an entry point taken away from an application, and a type other than chat, apply at once on the other host', async () => {
    const admin = adminApi(stack, await adminLogin(stack));
    const created = await admin('POST', 'clientapplications', { body: { name: 'Kiosk', type: 'chat', entryPointIds: ['1001', '1002'] } });
    const { id, clientId, clientSecret } = created.body.clientApplication;
    const token = await login(stack, clientId, clientSecret);
    const onSecondFor = (entryPointId: string) => () => onSecond(`/clientapplications/messaging/configuration?entrypoint=${entryPointId}`, token);
    expect((await onSecondFor('1002')()).status).toBe(200);

    expect((await admin('PATCH', `clientapplications/${id}`, { body: { entryPointIds: ['1001'] } })).status).toBe(200);
    const refused = await waitFor(async () => {
      const res = await onSecondFor('1002')();
      return res.status === 403 ? res : undefined;
    }, NOTICE_WITHIN_MS, 20);
    expectError(refused, 'EntryPointNotAllowed', 'entrypoint');

    // A start on the second host reads the type from the same cache.
    const lm = (await onSecondFor('1001')()).body.entryPointConfiguration[0].lastModified.date as string;
    const startOnSecond = () =>
      http(`${secondUrl}/clientapplications/messaging/conversation/start?anonymousCustomer=yes`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ entryPointConfiguration: { entryPoint: { id: '1001' }, lastModified: { date: lm } } }),
      });
    expect((await admin('PATCH', `clientapplications/${id}`, { body: { type: 'email' } })).status).toBe(200);
    const notChat = await waitFor(async () => {
      const res = await startOnSecond();
      return res.status === 403 ? res : undefined;
    }, NOTICE_WITHIN_MS, 20);
    expectError(notChat, 'ClientApplicationNotChat');
  });
});
