import { adminApi, adminLogin, type AdminApi } from './support/admin';
import { http, lastModified, login, start, startDocument } from './support/client';
import { lockAgents } from './support/assignment-locks';
import { Stack, waitFor } from './support/stack';

/**
 * Administration of agents, client applications and custom attribute definitions against
 * the real api; CONFIG_CACHE_TTL_MS is ten minutes, so what changes at once changes
 * because the administration dropped the api's caches.
 */
describe('administration: agents, client applications, attribute definitions', () => {
  let stack: Stack;
  let admin: AdminApi;

  /** Waits until another connection of the stack's database runs a statement `LIKE` the pattern (e.g. one waiting for a row lock). */
  async function waitForStatement(like: string): Promise<void> {
    await waitFor(async () => {
      const [{ n }] = await stack.db.query(
        'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE ? AND ID <> CONNECTION_ID()',
        [stack.env.DB_NAME, like],
      );
      return Number(n) >= 1;
    }, 10000, 20);
  }

  beforeAll(async () => {
    stack = await Stack.start({ env: { CONFIG_CACHE_TTL_MS: '600000' } });
    admin = adminApi(stack, await adminLogin(stack));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const agentLogin = (username: string, password: string) =>
    http(`${stack.contextUrl}/ws/v19/agent/authentication/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });

  const clientConfiguration = (token: string, entryPointId: string) =>
    http(`${stack.clientApiUrl}/messaging/configuration?entrypoint=${entryPointId}`, { headers: { Authorization: `Bearer ${token}` } });

  describe('agents', () => {
    it('create → read → update: a user account with a hashed password, an agent row and its queues', async () => {
      const created = await admin('POST', 'agents', {
        body: { username: 'dave', password: 'dave-password-1', displayName: 'Dave Agent', maxChats: 2, queueIds: [2] },
      });
      expect(created.status).toBe(201);
      const agent = created.body.agent;
      expect(agent).toEqual({ id: expect.stringMatching(/^\d+$/), username: 'dave', displayName: 'Dave Agent', maxChats: 2, activeChats: 0, availability: 'logged_out', queueIds: ['2'] });
      expect((await admin('GET', `agents/${agent.id}`)).body.agent).toEqual(agent);
      const [user] = await stack.db.query('SELECT role, password_hash FROM user_account WHERE id = ?', [agent.id]);
      expect(user.role).toBe('agent');
      expect(user.password_hash).toMatch(/^scrypt\$/);
      expect((await agentLogin('dave', 'dave-password-1')).status).toBe(200);

      const updated = await admin('PATCH', `agents/${agent.id}`, { body: { maxChats: 5, queueIds: ['1', '2'], password: 'dave-password-2' } });
      expect(updated.body.agent).toMatchObject({ maxChats: 5, queueIds: ['1', '2'] });
      expect(await stack.db.query('SELECT queue_id FROM agent_queue WHERE agent_id = ? ORDER BY queue_id', [agent.id])).toEqual([{ queue_id: '1' }, { queue_id: '2' }]);
      expect((await agentLogin('dave', 'dave-password-1')).status).toBe(401);
      expect((await agentLogin('dave', 'dave-password-2')).status).toBe(200);
      expect((await admin('GET', 'agents')).body.agents.agent.map((a: { username: string }) => a.username)).toEqual(['alice', 'bob', 'carol', 'dave']);
    });

    it('a new password ends the agent\'s live sessions; a change without one leaves them', async () => {
      const created = await admin('POST', 'agents', { body: { username: 'gina', password: 'gina-password-1', displayName: 'Gina', maxChats: 2, queueIds: [1] } });
      const id = created.body.agent.id;
      const availability = (token: string) => http(`${stack.contextUrl}/ws/v19/agent/availability`, { headers: { Authorization: `Bearer ${token}` } });
      const sessions = [(await agentLogin('gina', 'gina-password-1')).body.access_token, (await agentLogin('gina', 'gina-password-1')).body.access_token];
      expect((await admin('PATCH', `agents/${id}`, { body: { displayName: 'Gina A.' } })).status).toBe(200);
      for (const token of sessions) expect((await availability(token)).status).toBe(200);

      expect((await admin('PATCH', `agents/${id}`, { body: { password: 'gina-password-2' } })).status).toBe(200);
      for (const token of sessions) {
        const refused = await availability(token);
        expect([refused.status, refused.body.code]).toEqual([401, '401-103']);
      }
      const [{ live }] = await stack.db.query("SELECT COUNT(*) AS live FROM session WHERE kind = 'agent' AND subject_id = ? AND ended_at IS NULL", [id]);
      expect(Number(live)).toBe(0);
      const fresh = await agentLogin('gina', 'gina-password-2');
      expect((await availability(fresh.body.access_token)).status).toBe(200);
    });

    it('a new password ends the agent\'s presence with its sessions, as a logout: no chat goes to an agent nobody is logged in as', async () => {
      const created = await admin('POST', 'agents', { body: { username: 'iris', password: 'iris-password-1', displayName: 'Iris', maxChats: 2, queueIds: [1] } });
      const id = created.body.agent.id;
      const token = (await agentLogin('iris', 'iris-password-1')).body.access_token;
      const put = await http(`${stack.contextUrl}/ws/v19/agent/availability`, { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ availability: 'available' }) });
      expect(put.status).toBe(200);
      expect((await admin('GET', `agents/${id}`)).body.agent.availability).toBe('available');

      expect((await admin('PATCH', `agents/${id}`, { body: { password: 'iris-password-2' } })).status).toBe(200);
      expect((await admin('GET', `agents/${id}`)).body.agent.availability).toBe('logged_out');
      // The new password ends every session: the agent cannot be made present by the same change, and nothing of it is taken.
      await agentLogin('iris', 'iris-password-2');
      const refused = await admin('PATCH', `agents/${id}`, { body: { password: 'iris-password-3', availability: 'not_available' } });
      expect([refused.status, refused.body.code, refused.body.details]).toEqual([409, '409-122', 'availability']);
      expect((await agentLogin('iris', 'iris-password-2')).status).toBe(200);
      expect((await admin('GET', `agents/${id}`)).body.agent.availability).toBe('not_available');
    });

    it('presence follows sessions: available and not_available need a live session (409-122, nothing changed), logged_out ends the sessions', async () => {
      const agent = { username: 'jade', password: 'jade-password-1', displayName: 'Jade', maxChats: 2, queueIds: [1] };
      for (const availability of ['available', 'not_available']) {
        const refused = await admin('POST', 'agents', { body: { ...agent, availability } });
        expect([refused.status, refused.body.code, refused.body.details]).toEqual([409, '409-122', 'availability']);
      }
      expect(await stack.db.query("SELECT id FROM user_account WHERE username = 'jade'")).toEqual([]);
      const id = (await admin('POST', 'agents', { body: { ...agent, availability: 'logged_out' } })).body.agent.id;
      const current = async () => (await admin('GET', `agents/${id}`)).body.agent;

      for (const availability of ['available', 'not_available']) {
        const refused = await admin('PATCH', `agents/${id}`, { body: { availability, maxChats: 3 } });
        expect([refused.status, refused.body.code, refused.body.details]).toEqual([409, '409-122', 'availability']);
      }
      expect(await current()).toMatchObject({ availability: 'logged_out', maxChats: 2 });

      const tokens = [(await agentLogin('jade', 'jade-password-1')).body.access_token, (await agentLogin('jade', 'jade-password-1')).body.access_token];
      expect((await admin('PATCH', `agents/${id}`, { body: { availability: 'available' } })).body.agent.availability).toBe('available');
      expect((await admin('PATCH', `agents/${id}`, { body: { availability: 'not_available' } })).body.agent.availability).toBe('not_available');

      const loggedOut = await admin('PATCH', `agents/${id}`, { body: { availability: 'logged_out' } });
      expect([loggedOut.status, loggedOut.body.agent.availability]).toEqual([200, 'logged_out']);
      for (const token of tokens) {
        const refused = await http(`${stack.contextUrl}/ws/v19/agent/availability`, { headers: { Authorization: `Bearer ${token}` } });
        expect([refused.status, refused.body.code]).toEqual([401, '401-103']);
      }
      const [{ live }] = await stack.db.query("SELECT COUNT(*) AS live FROM session WHERE kind = 'agent' AND subject_id = ? AND ended_at IS NULL", [id]);
      expect(Number(live)).toBe(0);
      // Logged in again, the agent is present as after any login.
      await agentLogin('jade', 'jade-password-1');
      expect((await current()).availability).toBe('not_available');
    });

    it('a login whose password was checked before a new password committed gets no session (it would outlive the change)', async () => {
      const id = (await admin('POST', 'agents', { body: { username: 'hank', password: 'hank-password-1', displayName: 'Hank', maxChats: 2, queueIds: [1] } })).body.agent.id;
      // The test holds the user row, as a password change does until it commits: the login
      // checks the old password and waits for the row; the test then replaces the password and
      // ends the sessions as the change does.
      const runner = stack.db.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        await runner.query('SELECT id FROM user_account WHERE id = ? FOR UPDATE', [id]);
        const pending = agentLogin('hank', 'hank-password-1');
        await waitForStatement('SELECT % FROM user_account WHERE id = % FOR UPDATE');
        await runner.query("UPDATE user_account SET password_hash = 'scrypt$replaced' WHERE id = ?", [id]);
        await runner.query("UPDATE session SET ended_at = NOW(3) WHERE kind = 'agent' AND subject_id = ? AND ended_at IS NULL", [id]);
        await runner.commitTransaction();
        const refused = await pending;
        expect([refused.status, refused.body.code]).toEqual([401, '401-108']);
      } finally {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
      const [{ live }] = await stack.db.query("SELECT COUNT(*) AS live FROM session WHERE kind = 'agent' AND subject_id = ? AND ended_at IS NULL", [id]);
      expect(Number(live)).toBe(0);
    });

    it('takes XML with a single queue element; refuses a taken user name and an unknown queue', async () => {
      const xml = await admin('POST', 'agents', { body: { username: 'erin', password: 'erin-password', displayName: 'Erin', maxChats: '3', queueIds: '1' }, xmlRoot: 'agent' });
      expect([xml.status, xml.xmlRoot, xml.body.queueIds, xml.body.maxChats]).toEqual([201, 'agent', '1', '3']);
      const taken = await admin('POST', 'agents', { body: { username: 'alice', password: 'whatever-1', displayName: 'A', maxChats: 1, queueIds: [] } });
      expect([taken.status, taken.body.code, taken.body.details]).toEqual([409, '409-103', 'username']);
      const queue = await admin('POST', 'agents', { body: { username: 'frank', password: 'whatever-1', displayName: 'F', maxChats: 1, queueIds: ['999'] } });
      expect([queue.status, queue.body.code, queue.body.details]).toEqual([400, '400-152', 'queueIds']);
      expect((await stack.db.query("SELECT id FROM user_account WHERE username = 'frank'")).length).toBe(0);
    });

    it('reads "01" as queue 1: the same queue given twice is stored once, created or updated', async () => {
      const created = await admin('POST', 'agents', { body: { username: 'ivan2', password: 'longpassword', displayName: 'D', maxChats: 3, queueIds: ['1', '01'] } });
      expect([created.status, created.body.agent.queueIds]).toEqual([201, ['1']]);
      const id = created.body.agent.id;
      const queuesOf = () => stack.db.query('SELECT queue_id FROM agent_queue WHERE agent_id = ? ORDER BY queue_id', [id]);
      expect(await queuesOf()).toEqual([{ queue_id: '1' }]);

      const updated = await admin('PATCH', `agents/0${id}`, { body: { queueIds: ['2', '1', '01', 2] } });
      expect([updated.status, updated.body.agent.id, updated.body.agent.queueIds]).toEqual([200, id, ['1', '2']]);
      expect(await queuesOf()).toEqual([{ queue_id: '1' }, { queue_id: '2' }]);
    });

    it('takes maxChats from 1 to 100 and a password of 8 characters or more, created or updated; refuses the rest (400-112) and stores nothing', async () => {
      const agent = { username: 'kyle', password: 'kyle-pwd', displayName: 'Kyle', maxChats: 100, queueIds: [] };
      const refusedCreations = [{ maxChats: 0 }, { maxChats: 101 }, { password: 'kyle-pw' }];
      for (const change of refusedCreations) {
        const refused = await admin('POST', 'agents', { body: { ...agent, ...change } });
        expect([refused.status, refused.body.code, refused.body.details]).toEqual([400, '400-112', Object.keys(change)[0]]);
      }
      expect(await stack.db.query("SELECT id FROM user_account WHERE username = 'kyle'")).toEqual([]);

      const created = await admin('POST', 'agents', { body: agent });
      expect([created.status, created.body.agent.maxChats]).toEqual([201, 100]);
      const id = created.body.agent.id;
      const [{ password_hash: hash }] = await stack.db.query('SELECT password_hash FROM user_account WHERE id = ?', [id]);
      for (const change of [...refusedCreations, { maxChats: 1000 }]) {
        const refused = await admin('PATCH', `agents/${id}`, { body: change });
        expect([refused.status, refused.body.code, refused.body.details]).toEqual([400, '400-112', Object.keys(change)[0]]);
      }
      expect(await stack.db.query('SELECT a.max_chats, u.password_hash FROM agent a JOIN user_account u ON u.id = a.id WHERE a.id = ?', [id])).toEqual([{ max_chats: 100, password_hash: hash }]);
      const lowest = await admin('PATCH', `agents/${id}`, { body: { maxChats: 1, password: 'kyle-pw2' } });
      expect([lowest.status, lowest.body.agent.maxChats]).toEqual([200, 1]);
    });

    it('refuses a maxChats below the open chats with 409-120, as the agent\'s own chat limit does, and keeps the row', async () => {
      const id = (await admin('POST', 'agents', { body: { username: 'judy', password: 'judy-password', displayName: 'Judy', maxChats: 3, queueIds: [] } })).body.agent.id;
      const row = async () => (await stack.db.query('SELECT max_chats, active_chats FROM agent WHERE id = ?', [id]))[0];
      await stack.db.query('UPDATE agent SET active_chats = 2 WHERE id = ?', [id]);

      const below = await admin('PATCH', `agents/${id}`, { body: { maxChats: 1, displayName: 'Judy B.' } });
      expect([below.status, below.body.code, below.body.details]).toEqual([409, '409-120', 'maxChats']);
      // Said to whoever set it, the administrator here: the agent's chats, not "your" chats.
      expect(below.body.userMessage).toBe('The limit cannot be lower than the 2 chats the agent has open. Some of them must be completed first.');
      expect(await row()).toEqual({ max_chats: 3, active_chats: 2 });
      expect((await admin('GET', `agents/${id}`)).body.agent.displayName).toBe('Judy');

      const equal = await admin('PATCH', `agents/${id}`, { body: { maxChats: 2 } });
      expect([equal.status, equal.body.agent.maxChats, equal.body.agent.activeChats]).toEqual([200, 2, 2]);
    });

    it('checks maxChats under the agent row\'s lock: a chat assigned meanwhile counts', async () => {
      const id = (await admin('POST', 'agents', { body: { username: 'kate', password: 'kate-password', displayName: 'Kate', maxChats: 3, queueIds: [] } })).body.agent.id;
      await stack.db.query('UPDATE agent SET active_chats = 1 WHERE id = ?', [id]);
      // The test's transaction stands for an assignment in progress: it holds the row and takes a second slot.
      const { runner, finish } = await lockAgents(stack, [id]);
      let answered = false;
      const patch = admin('PATCH', `agents/${id}`, { body: { maxChats: 1 } }).then((res) => ((answered = true), res));
      await new Promise((r) => setTimeout(r, 500));
      expect(answered).toBe(false);
      await runner.query('UPDATE agent SET active_chats = active_chats + 1 WHERE id = ?', [id]);
      await finish(true);

      const res = await patch;
      expect([res.status, res.body.code]).toEqual([409, '409-120']);
      expect((await stack.db.query('SELECT max_chats, active_chats FROM agent WHERE id = ?', [id]))[0]).toEqual({ max_chats: 3, active_chats: 2 });
    });

    it('a new displayName shows at once in a conversation whose agent name this api process had already read', async () => {
      const token = await login(stack);
      const started = await start(stack, startDocument(await lastModified(stack, token, '1002'), undefined, '1002'), { token, query: 'anonymousCustomer=yes' });
      expect(started.status).toBe(200);
      const conversationId = started.body.conversation.id;
      const assigned = await waitFor(async () => {
        const [row] = await stack.db.query('SELECT agent_id FROM activity WHERE conversation_id = ?', [conversationId]);
        return row?.agent_id ? String(row.agent_id) : undefined;
      });
      const read = () => http(`${stack.clientApiUrl}/messaging/conversation/${conversationId}`, { headers: { Authorization: `Bearer ${token}` } });
      const before = await read();
      const formerName = (await admin('GET', `agents/${assigned}`)).body.agent.displayName;
      expect(before.body.conversation.agent).toEqual({ id: assigned, name: formerName });

      expect((await admin('PATCH', `agents/${assigned}`, { body: { displayName: 'Carol C.' } })).status).toBe(200);
      expect((await read()).body.conversation.agent).toEqual({ id: assigned, name: 'Carol C.' });
      await admin('PATCH', `agents/${assigned}`, { body: { displayName: formerName } });
    });
  });

  describe('client applications', () => {
    it('create answers the secret once and stores only its hash; the application logs in with it', async () => {
      const created = await admin('POST', 'clientapplications', { body: { name: 'Mobile app', type: 'chat', entryPointIds: ['1001'], callbackUrl: 'http://127.0.0.1:9/hook' } });
      expect(created.status).toBe(201);
      const app = created.body.clientApplication;
      expect(app).toMatchObject({ name: 'Mobile app', type: 'chat', entryPointIds: ['1001'], callbackUrl: 'http://127.0.0.1:9/hook', callbackFormat: 'json', callbackState: 'active' });
      expect(app.clientId).toMatch(/^ca-/);
      expect(app.clientSecret.length).toBeGreaterThanOrEqual(40);
      const read = (await admin('GET', `clientapplications/${app.id}`)).body.clientApplication;
      expect(read.clientSecret).toBeUndefined();
      const [row] = await stack.db.query('SELECT secret_hash FROM client_application WHERE id = ?', [app.id]);
      expect(row.secret_hash).toMatch(/^scrypt\$/);
      expect(row.secret_hash).not.toContain(app.clientSecret);

      const token = await login(stack, app.clientId, app.clientSecret);
      expect((await clientConfiguration(token, '1001')).status).toBe(200);
    });

    it('update of its entry points applies at once; a rotated secret ends the old one and its sessions', async () => {
      const created = (await admin('POST', 'clientapplications', { body: { name: 'Kiosk', type: 'chat', clientId: 'kiosk-1', entryPointIds: [1001] }, xmlRoot: 'clientApplication' })).body;
      expect(created.clientId).toBe('kiosk-1');
      const token = await login(stack, 'kiosk-1', created.clientSecret);
      expect((await clientConfiguration(token, '1001')).status).toBe(200);

      const updated = await admin('PATCH', `clientapplications/${created.id}`, { body: { entryPointIds: ['1002'], type: 'email' } });
      expect(updated.body.clientApplication).toMatchObject({ entryPointIds: ['1002'], type: 'email' });
      const refused = await clientConfiguration(token, '1001');
      expect([refused.status, refused.body.code]).toEqual([403, '403-102']);
      const notChat = await start(stack, startDocument(await lastModified(stack, token, '1002'), undefined, '1002'), { token, query: 'anonymousCustomer=yes' });
      expect([notChat.status, notChat.body.code]).toEqual([403, '403-101']);

      const rotated = await admin('POST', `clientapplications/${created.id}/secret`);
      expect(rotated.status).toBe(200);
      const secret = rotated.body.clientApplication.clientSecret;
      expect(secret).not.toBe(created.clientSecret);
      expect((await clientConfiguration(token, '1002')).status).toBe(401);
      await expect(login(stack, 'kiosk-1', created.clientSecret)).rejects.toThrow(/401/);
      expect((await clientConfiguration(await login(stack, 'kiosk-1', secret), '1002')).status).toBe(200);

      const taken = await admin('POST', 'clientapplications', { body: { name: 'Again', type: 'chat', clientId: 'kiosk-1', entryPointIds: [] } });
      expect([taken.status, taken.body.code]).toEqual([409, '409-103']);
      const url = await admin('PATCH', `clientapplications/${created.id}`, { body: { callbackUrl: 'ftp://example.com' } });
      expect([url.status, url.body.details]).toEqual([400, 'callbackUrl']);
    });

    it('a login whose secret was checked before a rotation committed gets no session (it would outlive the rotation)', async () => {
      const app = (await admin('POST', 'clientapplications', { body: { name: 'Rotated mid-login', type: 'chat', entryPointIds: [1001] } })).body.clientApplication;
      // The rotation stands in for one that commits while the login's slow secret check runs:
      // the test holds the application row, the login checks the old secret and waits for the
      // row, and the test then replaces the secret and ends the sessions as a rotation does.
      const runner = stack.db.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        await runner.query('SELECT id FROM client_application WHERE id = ? FOR UPDATE', [app.id]);
        const pending = login(stack, app.clientId, app.clientSecret).then(
          (token) => ({ token }),
          (error: Error) => ({ error: error.message }),
        );
        await waitForStatement('SELECT % FROM client_application WHERE id = % FOR UPDATE');
        await runner.query("UPDATE client_application SET secret_hash = 'scrypt$replaced' WHERE id = ?", [app.id]);
        await runner.query("UPDATE session SET ended_at = NOW(3) WHERE kind = 'client_application' AND subject_id = ? AND ended_at IS NULL", [app.id]);
        await runner.commitTransaction();
        expect(await pending).toEqual({ error: expect.stringMatching(/^login failed: 401 .*401-105/) });
      } finally {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
      const [{ live }] = await stack.db.query("SELECT COUNT(*) AS live FROM session WHERE kind = 'client_application' AND subject_id = ? AND ended_at IS NULL", [app.id]);
      expect(Number(live)).toBe(0);
    });

    it('a rotation ends a session a login committed while the rotation waited for the application row', async () => {
      const app = (await admin('POST', 'clientapplications', { body: { name: 'Login before rotation', type: 'chat', entryPointIds: [1001] } })).body.clientApplication;
      // The test holds the row as a login that checked the old secret does; the rotation
      // waits for the row (its locking read, which If-Match is checked on); the login's session
      // is committed meanwhile.
      const runner = stack.db.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      let rotation: Promise<{ status: number }> | undefined;
      const token = 'session-opened-while-the-rotation-waited';
      try {
        await runner.query('SELECT id FROM client_application WHERE id = ? FOR UPDATE', [app.id]);
        rotation = admin('POST', `clientapplications/${app.id}/secret`);
        await waitForStatement('SELECT id FROM client_application WHERE id = % FOR UPDATE');
        await runner.query(
          "INSERT INTO session (token_hash, kind, subject_id, created_at, expires_at) VALUES (UNHEX(SHA2(?, 256)), 'client_application', ?, NOW(3), NOW(3) + INTERVAL 1 HOUR)",
          [token, app.id],
        );
        await runner.commitTransaction();
      } finally {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
      expect((await rotation!).status).toBe(200);
      const [row] = await stack.db.query('SELECT ended_at FROM session WHERE token_hash = UNHEX(SHA2(?, 256))', [token]);
      expect(row.ended_at).not.toBeNull();
      expect((await clientConfiguration(token, '1001')).status).toBe(401);
    });

    it('reads "01001" as entry point 1001: the same entry point given twice is stored once, created or updated', async () => {
      const created = await admin('POST', 'clientapplications', { body: { name: 'Padded', type: 'chat', entryPointIds: ['1001', '01001'] } });
      expect([created.status, created.body.clientApplication.entryPointIds]).toEqual([201, ['1001']]);
      const id = created.body.clientApplication.id;
      const entryPointsOf = () => stack.db.query('SELECT entry_point_id FROM client_application_entry_point WHERE client_application_id = ? ORDER BY entry_point_id', [id]);
      expect(await entryPointsOf()).toEqual([{ entry_point_id: '1001' }]);

      const updated = await admin('PATCH', `clientapplications/0${id}`, { body: { entryPointIds: ['1002', '01001', 1001, '001002'] } });
      expect([updated.status, updated.body.clientApplication.id, updated.body.clientApplication.entryPointIds]).toEqual([200, id, ['1001', '1002']]);
      expect(await entryPointsOf()).toEqual([{ entry_point_id: '1001' }, { entry_point_id: '1002' }]);

      const token = await login(stack, created.body.clientApplication.clientId, created.body.clientApplication.clientSecret);
      const configuration = await clientConfiguration(token, '01002');
      expect([configuration.status, configuration.body.entryPointConfiguration[0].entryPoint.id]).toEqual([200, '1002']);
    });
  });

  describe('attribute definitions', () => {
    const startWith = async (value: string) => {
      const token = await login(stack);
      return start(
        stack,
        startDocument(await lastModified(stack, token), { customAttributes: { customAttribute: [{ attribName: 'priority', attribValues: { attribValue: [{ value }] } }] } }),
        { token, query: 'anonymousCustomer=yes' },
      );
    };

    it('create → read → update an enumerated activity attribute; starts follow the new values at once', async () => {
      expect((await startWith('high')).body.code).toBe('400-131');
      const created = await admin('POST', 'attributes', { body: { scope: 'activity', name: 'priority', type: 'enum', enumValues: ['high', 'low'], maxLength: 8 } });
      expect(created.status).toBe(201);
      const definition = created.body.attributeDefinition;
      expect(definition).toMatchObject({ scope: 'activity', name: 'priority', type: 'enum', enumValues: ['high', 'low'], maxLength: 8, searchable: false });
      expect((await admin('GET', `attributes/${definition.id}`)).body.attributeDefinition).toEqual(definition);
      expect((await startWith('high')).status).toBe(200);

      const updated = await admin('PATCH', `attributes/${definition.id}`, { body: { enumValues: ['low', 'urgent'] } });
      expect(updated.body.attributeDefinition.enumValues).toEqual(['low', 'urgent']);
      expect((await startWith('high')).body.code).toBe('400-132');
      expect((await startWith('urgent')).status).toBe(200);
    });

    it('lists by scope, takes XML lists, refuses incoherent definitions and taken names', async () => {
      const contact = (await admin('GET', 'attributes?scope=contact')).body.attributeDefinitions.attributeDefinition;
      expect(contact.map((d: { name: string }) => d.name)).toEqual(['loyalty_id', 'tier']);
      expect((await admin('GET', 'attributes?scope=order')).body.code).toBe('400-105');
      const xml = await admin('POST', 'attributes', { body: { scope: 'contact', name: 'segment', type: 'enum', enumValues: ['a', 'b'], searchable: 'true' }, xmlRoot: 'attributeDefinition' });
      expect([xml.status, xml.body.enumValues, xml.body.searchable]).toEqual([201, ['a', 'b'], 'true']);
      const noValues = await admin('POST', 'attributes', { body: { scope: 'activity', name: 'empty_enum', type: 'enum' } });
      expect([noValues.status, noValues.body.code, noValues.body.details]).toEqual([400, '400-112', 'enumValues']);
      const searchable = await admin('POST', 'attributes', { body: { scope: 'activity', name: 'note2', type: 'string', searchable: true } });
      expect([searchable.status, searchable.body.details]).toEqual([400, 'searchable']);
      const badValue = await admin('POST', 'attributes', { body: { scope: 'activity', name: 'shape', type: 'enum', enumValues: ['a<b'] } });
      expect([badValue.status, badValue.body.details]).toEqual([400, 'enumValues']);
      // No XML document can carry U+FFFE or U+FFFF: an XML client could never send such a value.
      const notXml = await admin('POST', 'attributes', { body: { scope: 'activity', name: 'mark', type: 'enum', enumValues: ['ok', 'odd\uFFFF'] } });
      expect([notXml.status, notXml.body.code, notXml.body.details]).toEqual([400, '400-112', 'enumValues']);
      expect(await stack.db.query("SELECT id FROM attribute_definition WHERE name = 'mark'")).toEqual([]);
      const taken = await admin('POST', 'attributes', { body: { scope: 'contact', name: 'tier', type: 'string' } });
      expect([taken.status, taken.body.code]).toEqual([409, '409-103']);
    });

    it('takes maxLength from 1 to 4000, the longest value a start carries, created or updated; refuses the rest (400-112) and stores nothing', async () => {
      for (const maxLength of [0, 4001]) {
        const refused = await admin('POST', 'attributes', { body: { scope: 'activity', name: 'bounded_note', type: 'string', maxLength } });
        expect([refused.status, refused.body.code, refused.body.details]).toEqual([400, '400-112', 'maxLength']);
      }
      expect(await stack.db.query("SELECT id FROM attribute_definition WHERE name = 'bounded_note'")).toEqual([]);
      const created = await admin('POST', 'attributes', { body: { scope: 'activity', name: 'bounded_note', type: 'string', maxLength: 4000 } });
      expect([created.status, created.body.attributeDefinition.maxLength]).toEqual([201, 4000]);
      const id = created.body.attributeDefinition.id;
      for (const maxLength of [0, 4001]) {
        const refused = await admin('PATCH', `attributes/${id}`, { body: { maxLength } });
        expect([refused.status, refused.body.code, refused.body.details]).toEqual([400, '400-112', 'maxLength']);
      }
      expect(await stack.db.query('SELECT max_length FROM attribute_definition WHERE id = ?', [id])).toEqual([{ max_length: 4000 }]);
      expect((await admin('PATCH', `attributes/${id}`, { body: { maxLength: 1 } })).body.attributeDefinition.maxLength).toBe(1);
    });
  });
});
