import { createHash } from 'node:crypto';
import { adminLogin } from './support/admin';
import { addAgents, agentCall, agentLogin } from './support/assignment';
import { http, login, type HttpResult } from './support/client';
import { Stack } from './support/stack';
import { expectError } from './support/ws-error';

/**
 * Each logout ends only a session of its own kind: client application revoke, agent logout
 * and administrator logout answer a token of another kind with that API's 401 and leave its
 * session (and an agent's presence) as it was. The session an agent's or an administrator's
 * login opens is provisional until the login has committed, then lives SESSION_TTL_SECONDS.
 */
describe('logout and revoke: only sessions of their own kind', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ workers: 0 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const post = (path: string, token: string): Promise<HttpResult> => http(`${stack.contextUrl}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  const revoke = (token: string) => post('/ws/v19/clientapplications/authentication/oauth2/revoke', token);
  const agentLogout = (token: string) => post('/ws/v19/agent/authentication/logout', token);
  const adminLogout = (token: string) => post('/ws/v19/administration/authentication/logout', token);

  async function isLive(token: string): Promise<boolean> {
    const hash = createHash('sha256').update(token).digest();
    const [{ n }] = await stack.db.query('SELECT COUNT(*) AS n FROM session WHERE token_hash = ? AND ended_at IS NULL', [hash]);
    return Number(n) === 1;
  }

  const availabilityOf = async (id: string): Promise<string> => (await stack.db.query('SELECT availability FROM agent WHERE id = ?', [id]))[0].availability;

  it('an agent\'s and an administrator\'s login session lives SESSION_TTL_SECONDS once the login has committed, not its provisional life', async () => {
    const lifeOf = async (token: string): Promise<number> => {
      const hash = createHash('sha256').update(token).digest();
      return Number((await stack.db.query('SELECT TIMESTAMPDIFF(SECOND, created_at, expires_at) AS life FROM session WHERE token_hash = ?', [hash]))[0].life);
    };
    const agent = await agentLogin(stack, 'bob');
    expect(await lifeOf(agent.token)).toBe(86400);
    expect(await lifeOf(await adminLogin(stack))).toBe(86400);
  });

  it('revoke refuses an agent token with 401 NotClientApplicationSession; the agent stays logged in and available', async () => {
    const [id] = await addAgents(stack, '1', [{ username: 'rita', maxChats: 2, availability: 'logged_out' }]);
    const rita = await agentLogin(stack, 'rita');
    expect((await agentCall(stack, rita.token, 'PUT', '/availability', { availability: 'available' })).status).toBe(200);

    expectError(await revoke(rita.token), 'NotClientApplicationSession', 'Authorization');
    expect(await isLive(rita.token)).toBe(true);
    expect(await availabilityOf(id)).toBe('available');
    expect((await agentCall(stack, rita.token, 'GET', '/availability')).body.agent.availability).toBe('available');
  });

  it('revoke refuses an administrator token with 401 NotClientApplicationSession and leaves it live', async () => {
    const admin = await adminLogin(stack);
    expectError(await revoke(admin), 'NotClientApplicationSession');
    expect(await isLive(admin)).toBe(true);
  });

  it('agent logout refuses a client application token with 401 NotAgentSession; the client session still works', async () => {
    const client = await login(stack);
    expectError(await agentLogout(client), 'NotAgentSession', 'Authorization');
    expect(await isLive(client)).toBe(true);
    const configuration = await http(`${stack.clientApiUrl}/messaging/configuration?entrypoint=1001`, { headers: { Authorization: `Bearer ${client}` } });
    expect(configuration.status).toBe(200);
  });

  it('agent logout refuses an administrator token (401 NotAgentSession), administrator logout an agent token (401 NotAdministratorSession)', async () => {
    const admin = await adminLogin(stack);
    const agent = await agentLogin(stack, 'alice');
    expectError(await agentLogout(admin), 'NotAgentSession');
    expectError(await adminLogout(agent.token), 'NotAdministratorSession');
    expect(await isLive(admin)).toBe(true);
    expect(await isLive(agent.token)).toBe(true);
  });

  it('each logout still ends a session of its own kind; the agent whose last session ends is logged_out', async () => {
    const [id] = await addAgents(stack, '1', [{ username: 'sam', maxChats: 2, availability: 'logged_out' }]);
    const sam = await agentLogin(stack, 'sam');
    await agentCall(stack, sam.token, 'PUT', '/availability', { availability: 'available' });
    expect((await agentLogout(sam.token)).status).toBe(204);
    expect(await isLive(sam.token)).toBe(false);
    expect(await availabilityOf(id)).toBe('logged_out');
    expect((await agentLogout(sam.token)).status).toBe(204);

    const admin = await adminLogin(stack);
    expect((await adminLogout(admin)).status).toBe(204);
    expect(await isLive(admin)).toBe(false);

    const client = await login(stack);
    expect((await revoke(client)).status).toBe(204);
    expect(await isLive(client)).toBe(false);
    expect((await revoke(client)).status).toBe(204);
  });
});
