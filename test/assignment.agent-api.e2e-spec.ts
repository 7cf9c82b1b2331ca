import { createHash } from 'node:crypto';
import { PROVISIONAL_SESSION_SECONDS } from '../src/modules/user-account/application/authenticate-user/authenticate-user.use-case';
import { ERROR_CATALOGUE } from '../src/platform/errors/error-catalogue';
import { addAgents, agentCall, agentLogin, eventsOf, startAnonymous, startChat, waitForActivity, type AgentSession } from './support/assignment';
import { chatsLeftWaiting, lockAgents } from './support/assignment-locks';
import { clientOf, http, type HttpResult } from './support/client';
import { adminLogin, message, receiveCallbacks, sendMessage } from './support/messaging';
import { Stack, waitFor } from './support/stack';
import type { WebhookReceiver } from './support/webhook-receiver';

const code = (kind: keyof typeof ERROR_CATALOGUE) => ERROR_CATALOGUE[kind].code;
const SESSION_TTL_SECONDS = 240;

/**
 * The agent API against the real api and worker: sessions and presence, availability and
 * limit, my chats, complete, transfer, and who may act on which chat. The periodic sweep
 * is slowed down so that every assignment seen here comes from an event.
 */
describe('agent API', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let sales: Awaited<ReturnType<typeof clientOf>>;
  let support: Awaited<ReturnType<typeof clientOf>>;
  let alice: AgentSession;
  let bob: AgentSession;
  let carol: AgentSession;

  beforeAll(async () => {
    // Sessions of 4 minutes, shorter than a provisional one: a provisional session must not outlive them.
    stack = await Stack.start({ env: { ASSIGNMENT_RETRY_INTERVAL_MS: '600000', AGENT_PRESENCE_SWEEP_INTERVAL_MS: '200', SESSION_TTL_SECONDS: String(SESSION_TTL_SECONDS) } });
    // Events are queued for delivery only to an application with a callback URL.
    receiver = await receiveCallbacks(stack);
    sales = await clientOf(stack, '1001');
    support = await clientOf(stack, '1002');
    [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((u) => agentLogin(stack, u)));
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  /** A chat of queue 1 assigned to `owner`: the other agent of the queue is made unavailable meanwhile. */
  async function chatOf(owner: AgentSession): Promise<string> {
    const other = owner === alice ? bob : alice;
    await stack.db.query("UPDATE agent SET availability = 'not_available' WHERE id = ?", [other.userId]);
    try {
      const res = await startAnonymous(stack, sales);
      expect(res.status).toBe(200);
      const a = await waitForActivity(stack, res.body.conversation.id, (x) => x.state === 'assigned');
      expect(String(a.agent_id)).toBe(owner.userId);
      return res.body.conversation.id;
    } finally {
      await stack.db.query("UPDATE agent SET availability = 'available' WHERE id = ?", [other.userId]);
    }
  }

  /** A queue of its own for the agents of the presence tests, so that they take none of the other tests' chats. */
  async function presenceQueue(): Promise<string> {
    await stack.db.query("INSERT IGNORE INTO chat_queue (id, department_id, name, strategy) VALUES (90, 1, 'Presence', 'least_loaded')");
    return '90';
  }

  /** Waits until `count` statements of the api wait for an agent row (the presence change's lock). */
  async function waitForAgentRowLocks(count: number): Promise<void> {
    await waitFor(async () => {
      const [{ n }] = await stack.db.query(
        `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST
          WHERE DB = ? AND COMMAND IN ('Query', 'Execute') AND INFO LIKE 'SELECT id, availability, max_chats, active_chats FROM agent WHERE id = % FOR UPDATE'`,
        [stack.env.DB_NAME],
      );
      return Number(n) >= count;
    }, 10000, 20);
  }

  async function agentRow(id: string) {
    const [row] = await stack.db.query('SELECT availability, max_chats, active_chats FROM agent WHERE id = ?', [id]);
    return { availability: row.availability as string, maxChats: Number(row.max_chats), activeChats: Number(row.active_chats) };
  }

  /**
   * Starts a chat on queue 2 that waits: its claim waits for carol's row, which the test
   * holds, and `whileLocked` makes carol unfit (unavailable, full) before letting it go on.
   */
  async function waitingChatOnSupport(whileLocked: (runner: { query: (sql: string, p?: unknown[]) => Promise<unknown> }) => Promise<void>): Promise<string> {
    const [chat] = await chatsLeftWaiting(stack, [carol.userId], [() => startChat(stack, support)], whileLocked);
    expect((await waitForActivity(stack, chat.conversationId, () => true)).state).toBe('waiting');
    return chat.conversationId;
  }

  describe('authentication', () => {
    it('refuses a client application session with 401 NotAgentSession', async () => {
      for (const [method, path, body] of [['GET', '/chats'], ['GET', '/availability'], ['PUT', '/availability', { availability: 'available' }]] as const) {
        const res = await agentCall(stack, sales.token, method, path, body);
        expect(res.status).toBe(401);
        expect(res.body.code).toBe(code('NotAgentSession'));
      }
    });

    it('refuses a request without a session with 401', async () => {
      const res = await http(`${stack.contextUrl}/ws/v19/agent/chats`);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe(code('AuthorizationMissing'));
    });

    it('login makes a logged-out agent not_available; only the end of its last session logs it out', async () => {
      const [id] = await addAgents(stack, '1', [{ username: 'dave', maxChats: 2, availability: 'logged_out' }]);
      const first = await agentLogin(stack, 'dave');
      expect((await agentRow(id)).availability).toBe('not_available');
      const available = await agentCall(stack, first.token, 'PUT', '/availability', { availability: 'available' });
      expect(available.body.agent.availability).toBe('available');
      const second = await agentLogin(stack, 'dave');
      expect((await agentRow(id)).availability).toBe('available');

      const out1 = await http(`${stack.contextUrl}/ws/v19/agent/authentication/logout`, { method: 'POST', headers: { Authorization: `Bearer ${first.token}` } });
      expect(out1.status).toBe(204);
      expect((await agentRow(id)).availability).toBe('available');
      await http(`${stack.contextUrl}/ws/v19/agent/authentication/logout`, { method: 'POST', headers: { Authorization: `Bearer ${second.token}` } });
      expect((await agentRow(id)).availability).toBe('logged_out');
      expect((await agentCall(stack, second.token, 'GET', '/chats')).status).toBe(401);
    });

    it('logs out an agent whose last session expired without a logout, and only then', async () => {
      const [id] = await addAgents(stack, await presenceQueue(), [{ username: 'erin', maxChats: 2, availability: 'logged_out' }]);
      const first = await agentLogin(stack, 'erin');
      const second = await agentLogin(stack, 'erin');
      expect((await agentCall(stack, first.token, 'PUT', '/availability', { availability: 'available' })).status).toBe(200);
      const expire = (token: string) => stack.db.query('UPDATE session SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE token_hash = UNHEX(SHA2(?, 256))', [token]);

      await expire(first.token);
      await waitFor(async () => {
        const [row] = await stack.db.query('SELECT ended_at FROM session WHERE token_hash = UNHEX(SHA2(?, 256))', [first.token]);
        return row.ended_at !== null;
      }, 5000);
      expect((await agentRow(id)).availability).toBe('available');

      await expire(second.token);
      await waitFor(async () => (await agentRow(id)).availability === 'logged_out', 5000);
      expect((await agentCall(stack, second.token, 'GET', '/availability')).status).toBe(401);
    });
    it('leaves an agent written available without any session, as the demo seed writes its agents, available: the sweep follows expired sessions, not presence', async () => {
      const [seeded, expiring] = await addAgents(stack, await presenceQueue(), [{ username: 'sam', maxChats: 2 }, { username: 'tess', maxChats: 2, availability: 'logged_out' }]);
      const tess = await agentLogin(stack, 'tess');
      await stack.db.query('UPDATE session SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE token_hash = UNHEX(SHA2(?, 256))', [tess.token]);
      // tess logged out: a sweep round has run since sam was written.
      await waitFor(async () => (await agentRow(expiring)).availability === 'logged_out', 5000);
      expect((await agentRow(seeded)).availability).toBe('available');
    });

    it('logs out an agent whose session expired once its presence change goes through, and the other agents meanwhile', async () => {
      const queue = await presenceQueue();
      const [ida, idb] = await addAgents(stack, queue, [
        { username: 'ivan', maxChats: 2, availability: 'logged_out' },
        { username: 'judy', maxChats: 2, availability: 'logged_out' },
      ]);
      const [ivan, judy] = [await agentLogin(stack, 'ivan'), await agentLogin(stack, 'judy')];
      for (const a of [ivan, judy]) expect((await agentCall(stack, a.token, 'PUT', '/availability', { availability: 'available' })).status).toBe(200);
      // The database refuses to log ivan out for a while (a held row, a fault) when both sessions expire.
      await stack.db.query(
        `CREATE TRIGGER fail_logged_out BEFORE UPDATE ON agent FOR EACH ROW
           IF NEW.id = ${Number(ida)} AND NEW.availability = 'logged_out' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the presence change fails'; END IF`,
      );
      try {
        await stack.db.query('UPDATE session SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE token_hash IN (UNHEX(SHA2(?, 256)), UNHEX(SHA2(?, 256)))', [ivan.token, judy.token]);
        await waitFor(async () => (await agentRow(idb)).availability === 'logged_out', 5000);
        // Several sweeps (every 200 ms) have tried ivan meanwhile.
        await new Promise((r) => setTimeout(r, 1000));
        expect((await agentRow(ida)).availability).toBe('available');
      } finally {
        await stack.db.query('DROP TRIGGER IF EXISTS fail_logged_out');
      }
      await waitFor(async () => (await agentRow(ida)).availability === 'logged_out', 5000);
    });

    it('logs out an agent whose session expired while another transaction holds the expired sessions of a hundred agents before it', async () => {
      // A hundred ids below the new agent's, with no agent: their sessions, once let go, log nobody out.
      const [{ next }] = await stack.db.query('SELECT MAX(id) + 1000 AS next FROM user_account');
      await stack.db.query(`ALTER TABLE user_account AUTO_INCREMENT = ${Number(next)}`);
      const held = Array.from({ length: 100 }, (_, i) => Number(next) - 100 + i);
      const [id] = await addAgents(stack, await presenceQueue(), [{ username: 'oscar', maxChats: 2, availability: 'logged_out' }]);
      const oscar = await agentLogin(stack, 'oscar');
      expect((await agentCall(stack, oscar.token, 'PUT', '/availability', { availability: 'available' })).status).toBe(200);
      await stack.db.query(
        `INSERT INTO session (token_hash, kind, subject_id, created_at, expires_at) VALUES ${held.map(() => "(UNHEX(SHA2(?, 256)), 'agent', ?, NOW(3) - INTERVAL 1 HOUR, NOW(3) - INTERVAL 1 SECOND)").join(', ')}`,
        held.flatMap((subject) => [`held-${subject}`, subject]),
      );
      // Another transaction (another worker's sweep, say) is ending them all.
      const lock = stack.db.createQueryRunner();
      await lock.connect();
      await lock.startTransaction('READ COMMITTED');
      try {
        // One row a statement: a list of keys is read by a scan of the table here, which holds oscar's row too.
        for (const subject of held) await lock.query('SELECT token_hash FROM session WHERE token_hash = ? FOR UPDATE', [createHash('sha256').update(`held-${subject}`).digest()]);
        await stack.db.query('UPDATE session SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE token_hash = UNHEX(SHA2(?, 256))', [oscar.token]);
        await waitFor(async () => (await agentRow(id)).availability === 'logged_out', 5000);
      } finally {
        await lock.rollbackTransaction();
        await lock.release();
        await stack.db.query(`DELETE FROM session WHERE kind = 'agent' AND subject_id IN (${held.join(',')})`);
      }
    });

    it('a logout that crosses a login of the same agent leaves it as it was, with a live session', async () => {
      const [id] = await addAgents(stack, await presenceQueue(), [{ username: 'frank', maxChats: 2, availability: 'logged_out' }]);
      const first = await agentLogin(stack, 'frank');
      expect((await agentCall(stack, first.token, 'PUT', '/availability', { availability: 'available' })).status).toBe(200);
      // The agent row is held while the logout (first) and a new login (second) of the agent
      // wait for it: the login's session is committed before either changes the agent.
      const lock = await lockAgents(stack, [id]);
      let logout: Promise<unknown> | undefined;
      let login: Promise<AgentSession> | undefined;
      try {
        logout = http(`${stack.contextUrl}/ws/v19/agent/authentication/logout`, { method: 'POST', headers: { Authorization: `Bearer ${first.token}` } });
        await waitForAgentRowLocks(1);
        login = agentLogin(stack, 'frank');
        await waitForAgentRowLocks(2);
      } finally {
        await lock.finish(true);
      }
      await logout;
      const second = await login!;
      expect((await agentRow(id)).availability).toBe('available');
      expect((await agentCall(stack, second.token, 'GET', '/availability')).body.agent.availability).toBe('available');
    });
    it('keeps the session of a logout whose presence change failed, so that the logout can be sent again and logs the agent out', async () => {
      const [id] = await addAgents(stack, await presenceQueue(), [{ username: 'hank', maxChats: 2, availability: 'logged_out' }]);
      const hank = await agentLogin(stack, 'hank');
      expect((await agentCall(stack, hank.token, 'PUT', '/availability', { availability: 'available' })).status).toBe(200);
      const logout = () => http(`${stack.contextUrl}/ws/v19/agent/authentication/logout`, { method: 'POST', headers: { Authorization: `Bearer ${hank.token}` } });
      // The database refuses to log this agent out (a fault between the session's end and the agent's change).
      await stack.db.query(
        `CREATE TRIGGER fail_logged_out BEFORE UPDATE ON agent FOR EACH ROW
           IF NEW.id = ${Number(id)} AND NEW.availability = 'logged_out' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the presence change fails'; END IF`,
      );
      try {
        const failed = await logout();
        expect(failed.status).toBeGreaterThanOrEqual(500);
        // Nothing of the logout stands: the session is live, the agent available.
        const during = await agentCall(stack, hank.token, 'GET', '/availability');
        expect(during.status).toBe(200);
        expect(during.body.agent.availability).toBe('available');
      } finally {
        await stack.db.query('DROP TRIGGER IF EXISTS fail_logged_out');
      }
      expect((await logout()).status).toBe(204);
      expect((await agentRow(id)).availability).toBe('logged_out');
      expect((await agentCall(stack, hank.token, 'GET', '/availability')).status).toBe(401);
    });

    it('leaves no live session behind a login whose presence change failed, so that the next logout logs the agent out', async () => {
      const [id] = await addAgents(stack, await presenceQueue(), [{ username: 'ines', maxChats: 2, availability: 'logged_out' }]);
      const liveSessions = async () =>
        Number((await stack.db.query("SELECT COUNT(*) AS n FROM session WHERE kind = 'agent' AND subject_id = ? AND ended_at IS NULL AND expires_at > NOW(3)", [id]))[0].n);
      // The database refuses to make this agent present (a fault between the session and the agent's change).
      await stack.db.query(
        `CREATE TRIGGER fail_login_presence BEFORE UPDATE ON agent FOR EACH ROW
           IF NEW.id = ${Number(id)} AND NEW.availability = 'not_available' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the presence change fails'; END IF`,
      );
      try {
        const failed = await http(`${stack.contextUrl}/ws/v19/agent/authentication/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username: 'ines', password: stack.credentials.agentPassword }),
        });
        expect(failed.status).toBeGreaterThanOrEqual(500);
        expect([await liveSessions(), (await agentRow(id)).availability]).toEqual([0, 'logged_out']);
      } finally {
        await stack.db.query('DROP TRIGGER IF EXISTS fail_login_presence');
      }
      const ines = await agentLogin(stack, 'ines');
      expect([await liveSessions(), (await agentRow(id)).availability]).toEqual([1, 'not_available']);
      expect((await http(`${stack.contextUrl}/ws/v19/agent/authentication/logout`, { method: 'POST', headers: { Authorization: `Bearer ${ines.token}` } })).status).toBe(204);
      expect((await agentRow(id)).availability).toBe('logged_out');
    });

    it('gives the session of a login whose presence change failed, and whose ending failed too, only its provisional life, which the sweep then ends', async () => {
      const [id] = await addAgents(stack, await presenceQueue(), [{ username: 'jude', maxChats: 2, availability: 'logged_out' }]);
      const sessions = async (): Promise<{ life: number; ended: boolean }[]> =>
        (await stack.db.query("SELECT TIMESTAMPDIFF(SECOND, created_at, expires_at) AS life, ended_at FROM session WHERE kind = 'agent' AND subject_id = ?", [id]))
          .map((r: { life: string; ended_at: Date | null }) => ({ life: Number(r.life), ended: r.ended_at !== null }));
      // The database refuses to make this agent present, and then to end the login's session (the database gone, say).
      await stack.db.query(
        `CREATE TRIGGER fail_login_presence_again BEFORE UPDATE ON agent FOR EACH ROW
           IF NEW.id = ${Number(id)} AND NEW.availability = 'not_available' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the presence change fails'; END IF`,
      );
      await stack.db.query(
        `CREATE TRIGGER fail_session_end BEFORE UPDATE ON session FOR EACH ROW
           IF NEW.subject_id = ${Number(id)} AND NEW.ended_at IS NOT NULL THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the session cannot be ended'; END IF`,
      );
      try {
        const failed = await http(`${stack.contextUrl}/ws/v19/agent/authentication/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username: 'jude', password: stack.credentials.agentPassword }),
        });
        expect(failed.status).toBeGreaterThanOrEqual(500);
        const [left] = await sessions();
        expect(left.ended).toBe(false);
        expect(left.life).toBeLessThanOrEqual(Math.min(PROVISIONAL_SESSION_SECONDS, SESSION_TTL_SECONDS));
      } finally {
        await stack.db.query('DROP TRIGGER IF EXISTS fail_login_presence_again');
        await stack.db.query('DROP TRIGGER IF EXISTS fail_session_end');
      }
      // Its provisional life over (brought forward here), the sweep ends it as any expiry.
      await stack.db.query("UPDATE session SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE kind = 'agent' AND subject_id = ?", [id]);
      await waitFor(async () => (await sessions()).every((session) => session.ended), 5000);
      expect((await agentRow(id)).availability).toBe('logged_out');
      // A login that succeeds has its whole life, and its logout logs the agent out.
      const jude = await agentLogin(stack, 'jude');
      expect((await sessions()).filter((session) => !session.ended).map((session) => session.life)).toEqual([SESSION_TTL_SECONDS]);
      expect((await http(`${stack.contextUrl}/ws/v19/agent/authentication/logout`, { method: 'POST', headers: { Authorization: `Bearer ${jude.token}` } })).status).toBe(204);
      expect((await agentRow(id)).availability).toBe('logged_out');
    });

    it('refuses availability to an agent whose sessions an administrator ended while the request waited for the agent: it stays logged_out', async () => {
      const [id] = await addAgents(stack, await presenceQueue(), [{ username: 'gina', maxChats: 2, availability: 'logged_out' }]);
      const gina = await agentLogin(stack, 'gina');
      const admin = await adminLogin(stack);
      // The agent row is held while the administrator's logged_out (first) and the agent's own
      // `available` (second, its session still live when it was authenticated) wait for it.
      const lock = await lockAgents(stack, [id]);
      let loggedOut: Promise<HttpResult> | undefined;
      let available: Promise<HttpResult> | undefined;
      try {
        loggedOut = http(`${stack.contextUrl}/ws/v19/administration/agents/${id}`, {
          method: 'PATCH',
          headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ availability: 'logged_out' }),
        });
        await waitFor(async () => {
          const [{ n }] = await stack.db.query(
            "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE 'SELECT max_chats, active_chats FROM agent WHERE id = % FOR UPDATE'",
            [stack.env.DB_NAME],
          );
          return Number(n) === 1;
        }, 10000, 20);
        available = agentCall(stack, gina.token, 'PUT', '/availability', { availability: 'available' });
        await waitForAgentRowLocks(1);
      } finally {
        await lock.finish(true);
      }
      expect((await loggedOut!).status).toBe(200);
      const refused = await available!;
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe(code('AgentNotLoggedIn'));
      expect((await agentRow(id)).availability).toBe('logged_out');
      expect((await agentCall(stack, gina.token, 'GET', '/availability')).status).toBe(401);
    });
  });

  describe('availability and chat limit', () => {
    it('sets and reads back availability and limit', async () => {
      const set = await agentCall(stack, bob.token, 'PUT', '/availability', { availability: 'not_available' });
      expect(set.status).toBe(200);
      expect(set.body.agent).toMatchObject({ id: bob.userId, availability: 'not_available' });
      expect((await agentRow(bob.userId)).availability).toBe('not_available');
      const limit = await agentCall(stack, bob.token, 'PUT', '/chatlimit', { maxChats: 5 });
      expect(limit.body.agent.maxChats).toBe(5);
      const read = await agentCall(stack, bob.token, 'GET', '/availability');
      expect(read.body.agent).toMatchObject({ availability: 'not_available', maxChats: 5 });
      await agentCall(stack, bob.token, 'PUT', '/availability', { availability: 'available' });
      await agentCall(stack, bob.token, 'PUT', '/chatlimit', { maxChats: 3 });
    });

    it('refuses logged_out and unknown values as availability, and limits out of range', async () => {
      for (const availability of ['logged_out', 'busy']) {
        const res = await agentCall(stack, bob.token, 'PUT', '/availability', { availability });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe(code('BodyInvalid'));
      }
      for (const maxChats of [0, 101]) {
        const res = await agentCall(stack, bob.token, 'PUT', '/chatlimit', { maxChats });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe(code('ChatLimitOutOfRange'));
      }
    });

    it('refuses a limit below the open chats with 409, and keeps the limit', async () => {
      await chatOf(bob);
      await chatOf(bob);
      const res = await agentCall(stack, bob.token, 'PUT', '/chatlimit', { maxChats: 1 });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe(code('ChatLimitBelowActiveChats'));
      expect(await agentRow(bob.userId)).toMatchObject({ maxChats: 3, activeChats: 2 });
    });
  });

  describe('my chats', () => {
    it('lists exactly the open chats assigned to me', async () => {
      const mine = await chatOf(alice);
      const theirs = await chatOf(bob);
      const res = await agentCall(stack, alice.token, 'GET', '/chats');
      expect(res.status).toBe(200);
      const ids = res.body.chats.chat.map((c: { conversation: { id: string } }) => c.conversation.id);
      expect(ids).toContain(mine);
      expect(ids).not.toContain(theirs);
      const [{ n }] = await stack.db.query("SELECT COUNT(*) AS n FROM activity WHERE agent_id = ? AND state = 'assigned'", [alice.userId]);
      expect(ids).toHaveLength(Number(n));
    });

    it('lists a chat with the assignedDate its reading gives, the time of its assigned event, whatever the database clock', async () => {
      const mine = await chatOf(alice);
      // assigned_at is written with the database's clock, the event with the worker's: a database 5 s behind.
      await stack.db.query('UPDATE activity SET assigned_at = assigned_at - INTERVAL 5 SECOND WHERE conversation_id = ?', [mine]);
      const listed = (await agentCall(stack, alice.token, 'GET', '/chats')).body.chats.chat.find((c: { conversation: { id: string } }) => c.conversation.id === mine);
      const read = (await agentCall(stack, alice.token, 'GET', `/chats/${mine}`)).body.conversation;
      const assigned = read.message.find((m: { type: { value: string } }) => m.type.value === 'assigned');
      expect(Date.parse(read.assignedDate.date)).toBe(assigned.timeStamp);
      expect(listed.assignedDate).toEqual(read.assignedDate);
      await agentCall(stack, alice.token, 'POST', `/chats/${mine}/complete`);
    });

    it("refuses to complete or transfer another agent's chat with 403 NotYourConversation, changing nothing", async () => {
      const chat = await chatOf(alice);
      const complete = await agentCall(stack, bob.token, 'POST', `/chats/${chat}/complete`);
      expect(complete.status).toBe(403);
      expect(complete.body.code).toBe(code('NotYourConversation'));
      const transfer = await agentCall(stack, bob.token, 'POST', `/chats/${chat}/transfer`, { queue: { id: '2' } });
      expect(transfer.status).toBe(403);
      expect(transfer.body.code).toBe(code('NotYourConversation'));
      const a = await waitForActivity(stack, chat, () => true);
      expect(a).toMatchObject({ state: 'assigned' });
      expect(String(a.agent_id)).toBe(alice.userId);
    });

    it("reads its own chat with what the customer wrote; another agent's chat is 403, an unknown one 404", async () => {
      const chat = await chatOf(alice);
      expect((await sendMessage(stack, sales.token, message(chat, 'text/plain', 'My parcel did not arrive.'))).status).toBe(200);
      expect((await sendMessage(stack, sales.token, message(chat, 'startTyping'))).status).toBe(200);
      const res = await agentCall(stack, alice.token, 'GET', `/chats/${chat.toUpperCase()}`);
      expect(res.status).toBe(200);
      expect(res.body.conversation).toMatchObject({ id: chat, state: 'assigned', agent: { id: alice.userId, name: 'Alice Agent' } });
      expect(res.body.conversation.message.map((m: any) => [m.type.value, m.sender.type, m.content])).toEqual([
        ['assigned', 'user', undefined],
        ['text/plain', 'customer', 'My parcel did not arrive.'],
      ]);
      expect(res.body.conversation.link).toEqual([
        { rel: 'self', href: `/system/ws/v19/agent/chats/${chat}` },
        { rel: 'sendmessage', href: '/system/ws/v19/agent/messaging/sendmessage' },
      ]);

      const theirs = await agentCall(stack, bob.token, 'GET', `/chats/${chat}`);
      expect([theirs.status, theirs.body.code]).toEqual([403, code('NotYourConversation')]);
      const unknown = await agentCall(stack, alice.token, 'GET', '/chats/00000000-0000-4000-8000-000000000000');
      expect([unknown.status, unknown.body.code]).toEqual([404, code('ConversationNotFound')]);
      await agentCall(stack, alice.token, 'POST', `/chats/${chat}/complete`);
    });

    it('answers 404 for a conversation that does not exist, in the agent API\'s words', async () => {
      const send = await agentCall(stack, alice.token, 'POST', '/messaging/sendmessage', { conversation: { id: '00000000-0000-4000-8000-000000000000' }, type: { value: 'text/plain' }, content: 'Hello' });
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
        const complete = await agentCall(stack, alice.token, 'POST', `/chats/${id}/complete`);
        for (const res of [complete, send]) {
          expect(res.status).toBe(404);
          expect(res.body.code).toBe(code('ConversationNotFound'));
          // Agents have no client application: the customer side's wording would mislead them.
          expect(res.body.developerMessage).not.toContain('client application');
        }
      }
      expect(send.body.developerMessage).toBe('conversation 00000000-0000-4000-8000-000000000000 does not exist');
    });

    it('refuses typing and messages in another agent\'s chat with 403, as complete and transfer', async () => {
      const chat = await chatOf(alice);
      for (const type of ['text/plain', 'startTyping', 'endTyping']) {
        const res = await agentCall(stack, bob.token, 'POST', '/messaging/sendmessage', { conversation: { id: chat }, type: { value: type }, content: 'Hi' });
        expect([res.status, res.body.code, res.body.developerMessage]).toEqual([403, code('NotYourConversation'), `conversation ${chat} is not assigned to this agent`]);
      }
      expect((await agentCall(stack, alice.token, 'POST', `/chats/${chat}/complete`)).status).toBe(200);
    });
  });

  describe('complete', () => {
    it('completes once: completed_at set, slot freed, complete recorded last; a second complete is 409', async () => {
      const chat = await chatOf(alice);
      const before = await agentRow(alice.userId);
      const res = await agentCall(stack, alice.token, 'POST', `/chats/${chat}/complete`);
      expect(res.status).toBe(200);
      expect(res.body.conversation).toEqual({ id: chat, state: 'completed' });
      const [row] = await stack.db.query('SELECT state, completed_at FROM activity WHERE conversation_id = ?', [chat]);
      expect(row.state).toBe('completed');
      expect(row.completed_at).not.toBeNull();
      expect((await agentRow(alice.userId)).activeChats).toBe(before.activeChats - 1);

      const again = await agentCall(stack, alice.token, 'POST', `/chats/${chat}/complete`);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe(code('ConversationStateConflict'));
      const transfer = await agentCall(stack, alice.token, 'POST', `/chats/${chat}/transfer`, { queue: { id: '2' } });
      expect(transfer.status).toBe(409);
      const events = await eventsOf(stack, chat);
      expect(events.map((e) => e.type)).toEqual(['assigned', 'complete']);
      expect(events[1]).toMatchObject({ sender_type: 'user', agent_id: alice.userId });
      const [{ n }] = await stack.db.query("SELECT COUNT(*) AS n FROM outbox WHERE topic = 'webhook/deliver-event' AND JSON_VALUE(payload, '$.conversationId') = ?", [chat]);
      expect(Number(n)).toBe(2);
    });
    it('answers a retry of a complete or a transfer sent with the same Idempotency-Key with the first answer, and acts once', async () => {
      const keyed = (token: string, key: string, path: string, body?: unknown) =>
        http(`${stack.contextUrl}/ws/v19/agent${path}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': key, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const completed = await chatOf(alice);
      const before = await agentRow(alice.userId);
      const first = await keyed(alice.token, `complete-${completed}`, `/chats/${completed}/complete`);
      expect(first.status).toBe(200);
      // The answer was lost: the agent's application sends the complete again.
      const retry = await keyed(alice.token, `complete-${completed}`, `/chats/${completed}/complete`);
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toEqual(first.body);
      expect((await agentRow(alice.userId)).activeChats).toBe(before.activeChats - 1);
      expect((await eventsOf(stack, completed)).map((e) => e.type)).toEqual(['assigned', 'complete']);

      const transferred = await chatOf(alice);
      const queue = await presenceQueue();
      const moved = await keyed(alice.token, `transfer-${transferred}`, `/chats/${transferred}/transfer`, { queue: { id: queue } });
      expect(moved.status).toBe(200);
      const again = await keyed(alice.token, `transfer-${transferred}`, `/chats/${transferred}/transfer`, { queue: { id: queue } });
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(moved.body);
      expect((await eventsOf(stack, transferred)).filter((e) => e.type === 'transfer')).toHaveLength(1);
      expect((await agentRow(alice.userId)).activeChats).toBe(before.activeChats - 1);
    });

    it('answers the conversation id as the start gave it, whatever the case of the id in the path', async () => {
      const chat = await chatOf(alice);
      const res = await agentCall(stack, alice.token, 'POST', `/chats/${chat.toUpperCase()}/complete`);
      expect(res.status).toBe(200);
      expect(res.body.conversation).toEqual({ id: chat, state: 'completed' });
    });
  });

  describe('transfer', () => {
    it('to a queue: the chat waits there, the first agent is freed, an agent of that queue gets it', async () => {
      const chat = await chatOf(alice);
      const before = await agentRow(alice.userId);
      const res = await agentCall(stack, alice.token, 'POST', `/chats/${chat}/transfer`, { queue: { id: '2' } });
      expect(res.status).toBe(200);
      expect(res.body.conversation).toMatchObject({ id: chat, state: 'waiting', queue: { id: '2' } });
      expect((await agentRow(alice.userId)).activeChats).toBe(before.activeChats - 1);
      const a = await waitForActivity(stack, chat, (x) => x.state === 'assigned');
      expect(String(a.queue_id)).toBe('2');
      expect(String(a.agent_id)).toBe(carol.userId);
      const events = await eventsOf(stack, chat);
      expect(events.map((e) => [e.type, e.agent_id])).toEqual([['assigned', alice.userId], ['transfer', alice.userId], ['assigned', carol.userId]]);
      expect(events[1].content).toBe('queue:2');
      await agentCall(stack, carol.token, 'POST', `/chats/${chat}/complete`);
    });

    it('to a named agent: claims that agent atomically, or refuses with 409 and changes nothing', async () => {
      const chat = await chatOf(alice);
      await stack.db.query("UPDATE agent SET availability = 'not_available' WHERE id = ?", [carol.userId]);
      const refused = await agentCall(stack, alice.token, 'POST', `/chats/${chat}/transfer`, { agent: { id: carol.userId } });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe(code('AgentUnavailable'));
      await stack.db.query("UPDATE agent SET availability = 'available' WHERE id = ?", [carol.userId]);
      const carolBefore = await agentRow(carol.userId);
      await stack.db.query('UPDATE agent SET max_chats = active_chats WHERE id = ?', [carol.userId]);
      const full = await agentCall(stack, alice.token, 'POST', `/chats/${chat}/transfer`, { agent: { id: carol.userId } });
      expect(full.status).toBe(409);
      expect(String((await waitForActivity(stack, chat, () => true)).agent_id)).toBe(alice.userId);
      await stack.db.query('UPDATE agent SET max_chats = ? WHERE id = ?', [carolBefore.maxChats, carol.userId]);

      const aliceBefore = await agentRow(alice.userId);
      const moved = await agentCall(stack, alice.token, 'POST', `/chats/${chat}/transfer`, { agent: { id: carol.userId } });
      expect(moved.status).toBe(200);
      expect(moved.body.conversation).toMatchObject({ state: 'assigned', agent: { id: carol.userId } });
      expect((await agentRow(alice.userId)).activeChats).toBe(aliceBefore.activeChats - 1);
      expect((await agentRow(carol.userId)).activeChats).toBe(carolBefore.activeChats + 1);
      const events = await eventsOf(stack, chat);
      expect(events.map((e) => [e.type, e.agent_id])).toEqual([['assigned', alice.userId], ['transfer', alice.userId], ['assigned', carol.userId]]);
      expect(events[1].content).toBe(`agent:${carol.userId}`);
      await agentCall(stack, carol.token, 'POST', `/chats/${chat}/complete`);
    });

    it('refuses an invalid target: both, none, myself, an unknown queue or agent', async () => {
      const chat = await chatOf(alice);
      const cases: [unknown, number, keyof typeof ERROR_CATALOGUE][] = [
        [{ queue: { id: '2' }, agent: { id: carol.userId } }, 400, 'TransferTargetInvalid'],
        // Naming neither target is a missing body, as on every route, not TransferTargetInvalid.
        [{}, 400, 'BodyMissing'],
        [{ queue: null, agent: null }, 400, 'BodyMissing'],
        [{ queue: {} }, 400, 'BodyInvalid'],
        [{ agent: { id: alice.userId } }, 400, 'TransferTargetInvalid'],
        [{ queue: { id: '999' } }, 404, 'ResourceNotFound'],
        [{ agent: { id: '999' } }, 404, 'ResourceNotFound'],
      ];
      for (const [body, status, kind] of cases) {
        const res = await agentCall(stack, alice.token, 'POST', `/chats/${chat}/transfer`, body);
        expect([res.status, res.body.code]).toEqual([status, code(kind)]);
      }
      expect(await waitForActivity(stack, chat, () => true)).toMatchObject({ state: 'assigned' });
      await agentCall(stack, alice.token, 'POST', `/chats/${chat}/complete`);
    });

    it('refuses complete and transfer of a chat the agent sent back to a queue, still waiting there, with 403, not 409: it has no agent', async () => {
      const chat = await chatOf(alice);
      // A queue no agent serves, so that the chat stays waiting.
      await stack.db.query("INSERT IGNORE INTO chat_queue (id, department_id, name, strategy) VALUES (91, 1, 'Unserved', 'least_loaded')");
      expect((await agentCall(stack, alice.token, 'POST', `/chats/${chat}/transfer`, { queue: { id: '91' } })).status).toBe(200);
      for (const [path, body] of [[`/chats/${chat}/complete`], [`/chats/${chat}/transfer`, { queue: { id: '2' } }]] as const) {
        const res = await agentCall(stack, alice.token, 'POST', path, body);
        expect([res.status, res.body.code]).toEqual([403, code('NotYourConversation')]);
      }
      expect(await waitForActivity(stack, chat, () => true)).toMatchObject({ state: 'waiting', agent_id: null });
      expect((await sendMessage(stack, sales.token, message(chat, 'complete'))).status).toBe(200);
    });

    it('to a queue: the wait counts from the transfer, so a chat started longer ago than the maximum wait is still offered', async () => {
      const chat = await chatOf(alice);
      // Started a day ago (ASSIGNMENT_MAX_WAIT_SECONDS is 300): only a wait counted from the transfer keeps it offered.
      await stack.db.query(
        'UPDATE activity SET created_at = created_at - INTERVAL 1 DAY, waiting_since = waiting_since - INTERVAL 1 DAY WHERE conversation_id = ?',
        [chat],
      );
      const res = await agentCall(stack, alice.token, 'POST', `/chats/${chat}/transfer`, { queue: { id: '2' } });
      expect(res.status).toBe(200);
      const a = await waitForActivity(stack, chat, (x) => x.state !== 'waiting', 5000);
      expect([a.state, String(a.agent_id)]).toEqual(['assigned', carol.userId]);
      await agentCall(stack, carol.token, 'POST', `/chats/${chat}/complete`);
    });

    it('lists my open chats oldest assignment first, a chat transferred to me counting from the transfer, and no completed one', async () => {
      const limits = await Promise.all([alice, bob].map(async (a) => [(await agentRow(a.userId)).maxChats, a.userId]));
      await stack.db.query('UPDATE agent SET max_chats = active_chats + 3 WHERE id IN (?, ?)', [alice.userId, bob.userId]);
      try {
        const handedOn = await chatOf(bob);
        const first = await chatOf(alice);
        const second = await chatOf(alice);
        expect((await agentCall(stack, bob.token, 'POST', `/chats/${handedOn}/transfer`, { agent: { id: alice.userId } })).status).toBe(200);
        const res = await agentCall(stack, alice.token, 'GET', '/chats');
        const ids: string[] = res.body.chats.chat.map((c: { conversation: { id: string } }) => c.conversation.id);
        expect(ids.filter((id) => [handedOn, first, second].includes(id))).toEqual([first, second, handedOn]);
        for (const chat of [handedOn, first, second]) await agentCall(stack, alice.token, 'POST', `/chats/${chat}/complete`);
        // Completed, they are no longer open: they leave the list, though the activity keeps the agent.
        const after = (await agentCall(stack, alice.token, 'GET', '/chats')).body.chats.chat.map((c: { conversation: { id: string } }) => c.conversation.id);
        expect(after.filter((id: string) => [handedOn, first, second].includes(id))).toEqual([]);
      } finally {
        for (const limit of limits) await stack.db.query('UPDATE agent SET max_chats = ? WHERE id = ?', limit);
      }
    });
  });

  describe('capacity freed by the agent assigns waiting chats', () => {
    it('becoming available assigns a chat that waited', async () => {
      const chat = await waitingChatOnSupport(async (tx) => {
        await tx.query("UPDATE agent SET availability = 'not_available' WHERE id = ?", [carol.userId]);
      });
      await new Promise((r) => setTimeout(r, 300));
      expect((await waitForActivity(stack, chat, () => true)).state).toBe('waiting');
      const res = await agentCall(stack, carol.token, 'PUT', '/availability', { availability: 'available' });
      expect(res.status).toBe(200);
      const a = await waitForActivity(stack, chat, (x) => x.state === 'assigned', 3000);
      expect(String(a.agent_id)).toBe(carol.userId);
      await agentCall(stack, carol.token, 'POST', `/chats/${chat}/complete`);
    });

    it('raising the limit assigns a chat that waited', async () => {
      const chat = await waitingChatOnSupport(async (tx) => {
        await tx.query('UPDATE agent SET max_chats = active_chats WHERE id = ?', [carol.userId]);
      });
      await new Promise((r) => setTimeout(r, 300));
      expect((await waitForActivity(stack, chat, () => true)).state).toBe('waiting');
      const { maxChats } = await agentRow(carol.userId);
      const res = await agentCall(stack, carol.token, 'PUT', '/chatlimit', { maxChats: maxChats + 1 });
      expect(res.status).toBe(200);
      const a = await waitForActivity(stack, chat, (x) => x.state === 'assigned', 3000);
      expect(String(a.agent_id)).toBe(carol.userId);
      await waitFor(async () => (await agentCall(stack, carol.token, 'POST', `/chats/${chat}/complete`)).status === 200);
    });
  });
});
