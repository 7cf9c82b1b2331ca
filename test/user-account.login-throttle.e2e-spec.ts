import { ERROR_CATALOGUE } from '../src/platform/errors/error-catalogue';
import { http, type HttpResult } from './support/client';
import { Stack } from './support/stack';
import { expectError } from './support/ws-error';
import { loginSubjectDigest } from '../src/platform/security/login-subject';

const PER_USER = 3;
const PER_IP = 12;
const WINDOW_MS = 60000;

/**
 * Brute force on the agent and administrator logins and on the queue dashboard's Basic check
 * is throttled like the client application token (same settings): 429 with Retry-After, a
 * WSError, a log line; the right password does not get through a blocked user name.
 */
describe('agent and administrator logins and the queue dashboard: login throttling', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({
      workers: 0,
      env: { LOGIN_THROTTLE_LIMIT_PER_CLIENT: String(PER_USER), LOGIN_THROTTLE_LIMIT_PER_IP: String(PER_IP), LOGIN_THROTTLE_WINDOW_MS: String(WINDOW_MS) },
    });
    // Two more administrators with the demo administrator's password, so each test has a user name of its own.
    for (const username of ['ops', 'night-ops']) {
      await stack.db.query(
        "INSERT INTO user_account (role, username, password_hash, display_name) SELECT role, ?, password_hash, ? FROM user_account WHERE username = ?",
        [username, username, stack.credentials.adminUsername],
      );
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** Agent login attempts made from this address so far, throttled ones included. */
  let agentAttempts = 0;

  const userLogin = (role: 'agent' | 'administration', username: string, password: string): Promise<HttpResult> => {
    if (role === 'agent') agentAttempts++;
    return http(`${stack.contextUrl}/ws/v19/${role}/authentication/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  };

  const dashboard = (username: string, password: string): Promise<HttpResult> =>
    http(`${stack.contextUrl}/admin/queues/api/queues`, { headers: { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` } });

  function expectThrottled(res: HttpResult): void {
    expectError(res, 'TooManyRequests');
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);
  }

  // A user is named in the log by the digest of the name, never the name (docs/operations.md, Logs).
  const logged = (username: string) => stack.api.output.some((line) => /login throttled/.test(line) && line.includes(`"subjectDigest":"${loginSubjectDigest(username)}"`) && !line.includes(`"${username}"`));

  it('blocks an agent user name after too many attempts, even with the right password, and logs it; other agents log in', async () => {
    const { agentPassword } = stack.credentials;
    for (let i = 0; i < PER_USER; i++) expectError(await userLogin('agent', 'alice', `guess-${i}`), 'InvalidUserCredentials');
    expectThrottled(await userLogin('agent', 'alice', agentPassword));
    expectThrottled(await userLogin('agent', 'alice ', agentPassword));
    expect(logged('alice')).toBe(true);
    expect((await userLogin('agent', 'bob', agentPassword)).status).toBe(200);
  });

  it('blocks an administrator user name after too many attempts, even with the right password, also on the dashboard', async () => {
    const { adminPassword } = stack.credentials;
    for (let i = 0; i < PER_USER; i++) expectError(await userLogin('administration', 'ops', `guess-${i}`), 'InvalidUserCredentials');
    expectThrottled(await userLogin('administration', 'ops', adminPassword));
    const viaDashboard = await dashboard('ops', adminPassword);
    expectThrottled(viaDashboard);
    expect(viaDashboard.headers.get('www-authenticate')).toMatch(/^Basic realm="queue dashboard"/);
    expect(logged('ops')).toBe(true);
  });

  it('blocks dashboard Basic credentials after too many wrong passwords, even the right one', async () => {
    const { adminPassword } = stack.credentials;
    for (let i = 0; i < PER_USER; i++) expect((await dashboard('night-ops', `guess-${i}`)).body.code).toBe(ERROR_CATALOGUE.InvalidUserCredentials.code);
    expectThrottled(await dashboard('night-ops', adminPassword));
    expectThrottled(await userLogin('administration', 'night-ops', adminPassword));
    expect(logged('night-ops')).toBe(true);
  });

  it('limits each login per source address too', async () => {
    const { agentPassword } = stack.credentials;
    while (agentAttempts < PER_IP) expectError(await userLogin('agent', `nobody-${agentAttempts}`, 'x'), 'InvalidUserCredentials');
    expectThrottled(await userLogin('agent', 'carol', agentPassword));
    // Each login counts on its own: the administrator login from the same address still answers.
    expect((await userLogin('administration', stack.credentials.adminUsername, stack.credentials.adminPassword)).status).toBe(200);
  });

  it('does not count the dashboard\'s polling: a recent successful Basic check is reused, not verified again', async () => {
    const { adminUsername, adminPassword } = stack.credentials;
    for (let i = 0; i < PER_USER + 3; i++) expect((await dashboard(adminUsername, adminPassword)).status).toBe(200);
  });
});
