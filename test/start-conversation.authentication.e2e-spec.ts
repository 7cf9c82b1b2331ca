import { createHash, randomBytes } from 'node:crypto';
import { EXPIRED_UNENDED_SESSIONS, PURGEABLE_SESSIONS } from '../src/platform/session/mysql-session.store';
import { http, lastModified, login, start, startDocument, type HttpResult } from './support/client';
import { Stack, waitFor } from './support/stack';
import { expectError, expectRefused, expectStartRefused, startOk } from './support/ws-error';

const ANONYMOUS = 'anonymousCustomer=yes';
const SESSION_LIMIT = 10;

/**
 * The client-application authentication API (token, session limit, forceLogin, revoke) and
 * every 401 of the start API: no header, a malformed one, a token with no live session
 * (unknown, revoked, expired) and a session that is not a client application's.
 */
describe('start conversation: authentication', () => {
  let stack: Stack;
  let lm: string;
  let chatApplicationId: string;

  beforeAll(async () => {
    // Many logins from one address in this file: the brute-force limits are tested elsewhere.
    stack = await Stack.start({ env: { LOGIN_THROTTLE_LIMIT_PER_IP: '1000', LOGIN_THROTTLE_LIMIT_PER_CLIENT: '1000' } });
    lm = await lastModified(stack, await login(stack));
    [{ id: chatApplicationId }] = await stack.db.query('SELECT id FROM client_application WHERE client_id = ?', [stack.credentials.chatClientKey]);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const basic = (key: string, secret: string) => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;

  function requestToken(options: { authorization?: string; body?: string; contentType?: string; query?: string } = {}): Promise<HttpResult> {
    const headers: Record<string, string> = { 'Content-Type': options.contentType ?? 'application/x-www-form-urlencoded' };
    const authorization = 'authorization' in options ? options.authorization : basic(stack.credentials.chatClientKey, stack.credentials.chatClientSecret);
    if (authorization !== undefined) headers.Authorization = authorization;
    return http(`${stack.clientApiUrl}/authentication/oauth2/token${options.query ? `?${options.query}` : ''}`, {
      method: 'POST', headers, body: options.body ?? 'grant_type=client_credentials',
    });
  }

  const revoke = (token?: string) => http(`${stack.clientApiUrl}/authentication/oauth2/revoke`, { method: 'POST', headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const configuration = (token: string) => http(`${stack.clientApiUrl}/messaging/configuration?entrypoint=1001`, { headers: { Authorization: `Bearer ${token}` } });
  const endAllSessions = () => stack.db.query("UPDATE session SET ended_at = NOW(3) WHERE kind = 'client_application' AND subject_id = ? AND ended_at IS NULL", [chatApplicationId]);
  const liveSessions = async () => Number((await stack.db.query(
    "SELECT COUNT(*) AS n FROM session WHERE kind = 'client_application' AND subject_id = ? AND ended_at IS NULL AND expires_at > NOW(3)", [chatApplicationId],
  ))[0].n);
  const hashOf = (token: string) => createHash('sha256').update(token).digest();

  describe('token', () => {
    it('logs in with client credentials and answers an opaque bearer token', async () => {
      await endAllSessions();
      const res = await requestToken();
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ access_token: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/), token_type: 'Bearer', expires_in: 86400 });
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('pragma')).toBe('no-cache');
      const [row] = await stack.db.query('SELECT kind, subject_id, TIMESTAMPDIFF(SECOND, created_at, expires_at) AS ttl FROM session WHERE token_hash = ?', [hashOf(res.body.access_token)]);
      expect({ ...row, ttl: Number(row.ttl) }).toEqual({ kind: 'client_application', subject_id: chatApplicationId, ttl: 86400 });
      await startOk(stack, startDocument(lm), { token: res.body.access_token, query: ANONYMOUS });
    });

    it('reads the schemes as HTTP does: any case, and any number of spaces before the credentials', async () => {
      await endAllSessions();
      const credentials = Buffer.from(`${stack.credentials.chatClientKey}:${stack.credentials.chatClientSecret}`).toString('base64');
      const login = await requestToken({ authorization: `basic   ${credentials}` });
      expect(login.status).toBe(200);
      for (const authorization of [`Bearer  ${login.body.access_token}`, `bEARER ${login.body.access_token}`]) {
        await startOk(stack, startDocument(lm), { query: ANONYMOUS, headers: { Authorization: authorization } });
      }
    });

    it('accepts the form as JSON too', async () => {
      const res = await requestToken({ body: JSON.stringify({ grant_type: 'client_credentials' }), contentType: 'application/json' });
      expect(res.status).toBe(200);
    });

    it('refuses a wrong secret and an unknown client key alike, without a session', async () => {
      await endAllSessions();
      await expectRefused(stack, () => requestToken({ authorization: basic(stack.credentials.chatClientKey, 'wrong-secret') }), 'InvalidClientCredentials');
      await expectRefused(stack, () => requestToken({ authorization: basic('no-such-client', stack.credentials.chatClientSecret) }), 'InvalidClientCredentials');
      expect(await liveSessions()).toBe(0);
      expect(stack.api.output.some((l) => /login refused/.test(l))).toBe(true);
    });

    it('refuses a login without Basic credentials', async () => {
      await expectRefused(stack, () => requestToken({ authorization: undefined }), 'AuthorizationMissing');
      for (const authorization of ['Bearer abc', 'Basic', 'Basic !!!', `Basic ${Buffer.from('no-colon').toString('base64')}`, `Basic ${Buffer.from(':secret').toString('base64')}`]) {
        await expectRefused(stack, () => requestToken({ authorization }), 'AuthorizationMalformed');
      }
    });

    it('refuses a grant type other than client_credentials', async () => {
      for (const body of ['grant_type=password', 'grant_type=', 'scope=x', 'grant_type=client_credentials&grant_type=client_credentials']) {
        await expectRefused(stack, () => requestToken({ body }), 'InvalidGrantType');
      }
    });

    it('refuses a token request in XML and an invalid forceLogin', async () => {
      await expectRefused(stack, () => requestToken({ body: '<token/>', contentType: 'application/xml' }), 'UnsupportedContentType');
      await expectRefused(stack, () => requestToken({ query: 'forceLogin=please' }), 'InvalidParameterValue');
    });

    it('refuses forceLogin given more than once as repeated, as every route does, even with one value twice', async () => {
      await expectRefused(stack, () => requestToken({ query: 'forceLogin=yes&forceLogin=yes' }), 'RepeatedParameter');
    });
  });

  describe('session limit', () => {
    it(`allows ${SESSION_LIMIT} live sessions; forceLogin=yes ends the oldest`, async () => {
      await endAllSessions();
      const tokens: string[] = [];
      for (let i = 0; i < SESSION_LIMIT; i++) tokens.push(await login(stack));
      await expectRefused(stack, () => requestToken(), 'SessionLimitReached');
      await expectRefused(stack, () => requestToken({ query: 'forceLogin=no' }), 'SessionLimitReached');
      expect(await liveSessions()).toBe(SESSION_LIMIT);

      const forced = await requestToken({ query: 'forceLogin=yes' });
      expect(forced.status).toBe(200);
      expect(await liveSessions()).toBe(SESSION_LIMIT);
      await expectStartRefused(stack, startDocument(lm), { token: tokens[0], query: ANONYMOUS }, 'SessionNotFound');
      for (const token of [tokens[1], tokens[SESSION_LIMIT - 1], forced.body.access_token]) expect((await configuration(token)).status).toBe(200);
    });

    it('holds the limit when logins race', async () => {
      await endAllSessions();
      const results = await Promise.all(Array.from({ length: SESSION_LIMIT + 5 }, () => requestToken()));
      expect(results.filter((r) => r.status === 200)).toHaveLength(SESSION_LIMIT);
      for (const refused of results.filter((r) => r.status !== 200)) expectError(refused, 'SessionLimitReached');
      expect(await liveSessions()).toBe(SESSION_LIMIT);
    });

    it('does not count ended or expired sessions', async () => {
      await endAllSessions();
      const tokens: string[] = [];
      for (let i = 0; i < SESSION_LIMIT; i++) tokens.push(await login(stack));
      await revoke(tokens[0]);
      await stack.db.query('UPDATE session SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE token_hash = ?', [hashOf(tokens[1])]);
      expect((await requestToken()).status).toBe(200);
      expect((await requestToken()).status).toBe(200);
      await expectRefused(stack, () => requestToken(), 'SessionLimitReached');
    });
  });

  describe('session rows', () => {
    it('a worker deletes the rows of sessions ended or expired over a day ago, however many, and keeps the others', async () => {
      const insert = (tag: string, kind: string, subjectId: string, createdAgo: string, expiresIn: string, endedAgo: string | null) =>
        stack.db.query(
          `INSERT INTO session (token_hash, kind, subject_id, created_at, expires_at, ended_at)
           VALUES (UNHEX(SHA2(?, 256)), ?, ?, NOW(3) - INTERVAL ${createdAgo}, NOW(3) + INTERVAL ${expiresIn}, ${endedAgo === null ? 'NULL' : `NOW(3) - INTERVAL ${endedAgo}`})`,
          [tag, kind, subjectId],
        );
      // Twelve thousand logins revoked two days ago: more than one round of deletion holds.
      await stack.db.query(
        `INSERT INTO session (token_hash, kind, subject_id, created_at, expires_at, ended_at)
         SELECT UNHEX(SHA2(CONCAT('revoked-', seq), 256)), 'client_application', ?, NOW(3) - INTERVAL 50 HOUR, NOW(3) - INTERVAL 26 HOUR, NOW(3) - INTERVAL 49 HOUR
           FROM seq_1_to_12000`,
        [chatApplicationId],
      );
      await insert('expired-long-ago', 'client_application', chatApplicationId, '50 HOUR', '-26 HOUR', null);
      await insert('ended-an-hour-ago', 'client_application', chatApplicationId, '2 HOUR', '22 HOUR', '1 HOUR');
      await insert('expired-an-hour-ago', 'client_application', chatApplicationId, '25 HOUR', '-1 HOUR', null);
      await insert('live', 'client_application', chatApplicationId, '1 HOUR', '23 HOUR', null);
      // An agent's expired session waits for the presence sweep to end it (and log the agent out) before it can go.
      await insert('agent-not-swept', 'agent', '1', '50 HOUR', '-26 HOUR', null);
      const left = async (tags: string[]) => Number((await stack.db.query(
        `SELECT COUNT(*) AS n FROM session WHERE token_hash IN (${tags.map(() => 'UNHEX(SHA2(?, 256))').join(', ')})`, tags,
      ))[0].n);
      const purgeable = async () => Number((await stack.db.query(
        "SELECT COUNT(*) AS n FROM session WHERE ended_at < NOW(3) - INTERVAL 24 HOUR OR (ended_at IS NULL AND kind <> 'agent' AND expires_at < NOW(3) - INTERVAL 24 HOUR)",
      ))[0].n);
      expect(await purgeable()).toBe(12001);

      await stack.startWorker();
      await waitFor(async () => (await purgeable()) === 0, 20000, 100);
      expect(await left(['ended-an-hour-ago', 'expired-an-hour-ago', 'live', 'agent-not-swept'])).toBe(4);
      expect(await left(['expired-long-ago', 'revoked-1', 'revoked-12000'])).toBe(0);
    });

    it('the purge and the presence sweep read a range of an index, not every row of the table', async () => {
      // A day of logins, all still live or ended lately: nothing for either read to find.
      await stack.db.query(
        `INSERT INTO session (token_hash, kind, subject_id, created_at, expires_at, ended_at)
         SELECT UNHEX(SHA2(CONCAT('recent-', seq), 256)), ELT(1 + seq % 3, 'client_application', 'agent', 'administrator'), 987654,
                NOW(3) - INTERVAL seq SECOND, NOW(3) + INTERVAL 1 HOUR, IF(seq % 2 = 0, NOW(3) - INTERVAL seq SECOND, NULL)
           FROM seq_1_to_20000`,
      );
      await stack.db.query('ANALYZE TABLE session');
      // ANALYZE runs the statement and counts the rows it actually read (r_rows): the few the
      // test before left (an agent session waiting for the sweep), none of the 20,000.
      const plan = async (sql: string, params: unknown[] = []) => {
        const [row] = await stack.db.query(`ANALYZE ${sql}`, params);
        return { type: row.type, key: row.key, fewRowsRead: Number(row.r_rows) < 10 };
      };
      const reads = [...PURGEABLE_SESSIONS.map((where) => plan(`SELECT token_hash FROM session WHERE ${where} LIMIT 5000`)),
        plan(`SELECT DISTINCT subject_id FROM session WHERE ${EXPIRED_UNENDED_SESSIONS} ORDER BY subject_id LIMIT 100`, ['agent'])];
      expect(await Promise.all(reads)).toEqual([
        { type: 'range', key: 'ix_session_ended', fewRowsRead: true },
        { type: 'range', key: 'ix_session_open', fewRowsRead: true },
        { type: 'range', key: 'ix_session_open', fewRowsRead: true },
      ]);
      await stack.db.query('DELETE FROM session WHERE subject_id = 987654');
    });
  });

  describe('revoke', () => {
    it('ends the session: 204, then the token is refused everywhere', async () => {
      await endAllSessions();
      const token = await login(stack);
      await startOk(stack, startDocument(lm), { token, query: ANONYMOUS });
      const res = await revoke(token);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      await expectStartRefused(stack, startDocument(lm), { token, query: ANONYMOUS }, 'SessionNotFound');
      expectError(await configuration(token), 'SessionNotFound');
      expect((await revoke(token)).status).toBe(204);
    });

    it('needs a bearer token', async () => {
      expectError(await revoke(), 'AuthorizationMissing');
      expectError(await http(`${stack.clientApiUrl}/authentication/oauth2/revoke`, { method: 'POST', headers: { Authorization: 'Basic abc' } }), 'AuthorizationMalformed');
    });
  });

  describe('401 on start', () => {
    const refuse = (headers: Record<string, string>, kind: Parameters<typeof expectStartRefused>[3]) =>
      expectRefused(stack, () => start(stack, startDocument(lm), { query: ANONYMOUS, headers }), kind, 'Authorization');

    it('refuses a start without Authorization', async () => {
      await refuse({}, 'AuthorizationMissing');
      await refuse({ Authorization: '' }, 'AuthorizationMissing');
    });

    it.each(['Basic ZGVtbzpkZW1v', 'Bearer', 'Bearer two words', 'Token abc', 'abc'])('refuses the malformed Authorization %p', async (value) => {
      await refuse({ Authorization: value }, 'AuthorizationMalformed');
    });

    it('challenges every 401 with WWW-Authenticate, telling a token to renew from a request built wrong', async () => {
      const challenge = async (headers: Record<string, string>) => (await start(stack, startDocument(lm), { query: ANONYMOUS, headers })).headers.get('www-authenticate');
      expect(await challenge({})).toBe('Bearer');
      expect(await challenge({ Authorization: 'Bearer two words' })).toBe('Bearer error="invalid_request"');
      expect(await challenge({ Authorization: `Bearer ${randomBytes(32).toString('base64url')}` })).toBe('Bearer error="invalid_token"');
      const basicChallenge = 'Basic realm="clientapplications", charset="UTF-8"';
      for (const authorization of [undefined, 'Bearer abc', basic(stack.credentials.chatClientKey, 'wrong-secret')]) {
        const res = await requestToken({ authorization });
        expect([res.status, res.headers.get('www-authenticate')]).toEqual([401, basicChallenge]);
      }
    });

    it('refuses a token with no session', async () => {
      await refuse({ Authorization: `Bearer ${randomBytes(32).toString('base64url')}` }, 'SessionNotFound');
    });

    it('refuses an expired session', async () => {
      const token = await login(stack, undefined, undefined);
      await stack.db.query('UPDATE session SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE token_hash = ?', [hashOf(token)]);
      await refuse({ Authorization: `Bearer ${token}` }, 'SessionNotFound');
    });

    it.each(['agent', 'administrator'])('refuses a live %s session', async (kind) => {
      const token = randomBytes(32).toString('base64url');
      const [{ id }] = await stack.db.query("SELECT id FROM user_account WHERE role = ? ORDER BY id LIMIT 1", [kind]);
      await stack.db.query('INSERT INTO session (token_hash, kind, subject_id, created_at, expires_at) VALUES (?, ?, ?, NOW(3), NOW(3) + INTERVAL 1 HOUR)', [hashOf(token), kind, id]);
      await refuse({ Authorization: `Bearer ${token}` }, 'NotClientApplicationSession');
    });

    it('checks authentication before the query and the body', async () => {
      const res = await start(stack, undefined, { query: 'foo=bar', raw: '{}', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer nope' } });
      expectError(res, 'SessionNotFound');
    });
  });
});
