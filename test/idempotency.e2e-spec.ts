import { hashSecret } from '../src/platform/security/secret-hasher';
import { IdempotencyStore } from '../src/platform/idempotency/idempotency.store';
import { ERROR_CATALOGUE } from '../src/platform/errors/error-catalogue';
import { clientOf, customerWithEmail, http, login, start, startDocument, uniqueEmail } from './support/client';
import { agentLogin } from './support/messaging';
import { Stack, stopProcess, waitFor } from './support/stack';
import { settledRowCounts } from './support/ws-error';

describe('Idempotency-Key on start conversation', () => {
  let stack: Stack;
  let token: string;
  let lm: string;

  beforeAll(async () => {
    stack = await Stack.start({ agentCapacity: 100 });
    ({ token, lm } = await clientOf(stack));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const activities = async () => Number((await stack.db.query('SELECT COUNT(*) AS n FROM activity'))[0].n);
  const identified = (email: string) => startDocument(lm, { customer: customerWithEmail(email) });
  const query = 'searchContactOnAttribute=email.emailAddress';

  it('replays the first response for the same key and body and creates nothing', async () => {
    const doc = identified(uniqueEmail('idem'));
    const headers = { 'Idempotency-Key': 'order-1234-attempt' };
    const first = await start(stack, doc, { token, query, headers });
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const before = await activities();
    const second = await start(stack, doc, { token, query, headers });
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body.conversation.id).toBe(first.body.conversation.id);
    expect(await activities()).toBe(before);
    // The replay is rendered in the format the retry asks for.
    const xml = await start(stack, doc, { token, query, headers: { ...headers, Accept: 'application/xml' } });
    expect(xml.status).toBe(200);
    expect(xml.xmlRoot).toBe('conversation');
    expect(xml.body.id).toBe(first.body.conversation.id);
  });

  it('replays a retry to the path written in another case or with a trailing slash, which the router takes as the same route', async () => {
    const doc = identified(uniqueEmail('idem-path'));
    const headers = { 'Idempotency-Key': 'path-spelling', Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const send = (path: string) => http(`${stack.clientApiUrl}/messaging/conversation/${path}?${query}`, { method: 'POST', headers, body: JSON.stringify(doc) });
    const first = await send('start');
    expect(first.status).toBe(200);
    const before = await activities();
    for (const path of ['START', 'start/', 'Start/']) {
      const retry = await send(path);
      expect([retry.status, retry.headers.get('idempotent-replayed'), retry.body.conversation?.id]).toEqual([200, 'true', first.body.conversation.id]);
    }
    expect(await activities()).toBe(before);
  });

  it('refuses the same key with a different body with 422', async () => {
    const headers = { 'Idempotency-Key': 'reused-key' };
    expect((await start(stack, identified(uniqueEmail('a')), { token, query, headers })).status).toBe(200);
    // Settled: the assignment of the first start writes its own outbox row.
    const before = await settledRowCounts(stack);
    const res = await start(stack, identified(uniqueEmail('b')), { token, query, headers });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe(ERROR_CATALOGUE.IdempotencyKeyReused.code);
    expect(await stack.rowCounts()).toEqual(before);
  });

  it('executes once when duplicates arrive in parallel: the rest replay or get 409 with Retry-After', async () => {
    const doc = identified(uniqueEmail('parallel'));
    const headers = { 'Idempotency-Key': 'parallel-key' };
    const before = await activities();
    const results = await Promise.all(Array.from({ length: 12 }, () => start(stack, doc, { token, query, headers })));
    expect(await activities()).toBe(before + 1);
    const ok = results.filter((r) => r.status === 200);
    const busy = results.filter((r) => r.status === 409);
    expect(ok.length + busy.length).toBe(results.length);
    expect(new Set(ok.map((r) => r.body.conversation.id)).size).toBe(1);
    for (const r of busy) {
      expect(r.body.code).toBe(ERROR_CATALOGUE.IdempotencyRequestInProgress.code);
      expect(r.headers.get('retry-after')).toBe('1');
    }
  });

  it.each([
    ['a claim whose request died (not refreshed for 30 s)', "UPDATE idempotency_record SET state = 'in_progress', status_code = NULL, response = NULL, created_at = NOW(3) - INTERVAL 1 MINUTE"],
    ['an expired key (over 24 h old)', 'UPDATE idempotency_record SET created_at = NOW(3) - INTERVAL 25 HOUR'],
  ])('executes once when parallel retries take over %s', async (_, takeOver) => {
    // Several rounds: the retries race between reading the old record and claiming the key.
    for (let round = 0; round < 8; round++) {
      const doc = identified(uniqueEmail('take-over'));
      const key = `take-over-${Date.now()}-${round}`;
      const headers = { 'Idempotency-Key': key };
      expect((await start(stack, doc, { token, query, headers })).status).toBe(200);
      await stack.db.query(`${takeOver} WHERE idempotency_key = ?`, [key]);
      const before = await activities();
      const results = await Promise.all(Array.from({ length: 10 }, () => start(stack, doc, { token, query, headers })));
      expect(results.filter((r) => r.status !== 200 && r.status !== 409).map((r) => r.text)).toEqual([]);
      expect(results.filter((r) => r.status === 200 && r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
      expect(await activities()).toBe(before + 1);
    }
  });

  /** A connection of the test holding these user locks, which triggers wait on to pace the starts. */
  async function lockHolder(...locks: string[]) {
    const holder = stack.db.createQueryRunner();
    await holder.connect();
    for (const lock of locks) await holder.query('SELECT GET_LOCK(?, 0)', [lock]);
    return holder;
  }
  /** Until a start waits on `lock` inside its trigger. */
  const waitingOn = (lock: string) =>
    waitFor(async () => (await stack.db.query('SELECT 1 FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO = ?', [stack.name, `DO GET_LOCK('${lock}', 60)`])).length > 0);

  /**
   * Sends a keyed request and kills the api while its answer is being recorded (a trigger holds
   * that statement), then lets the claim go stale, as a dead request's does after 30 s.
   */
  async function killWhileRecording(key: string, send: () => Promise<unknown>): Promise<void> {
    await stack.db.query(
      `CREATE TRIGGER hold_recorded_answer BEFORE UPDATE ON idempotency_record FOR EACH ROW
         IF NEW.idempotency_key = '${key}' AND NEW.state = 'completed' THEN DO SLEEP(60); END IF`,
    );
    try {
      const dying = send().catch(() => undefined);
      const recording = await waitFor(async () => {
        // The statement a connection runs inside a trigger is the one listed.
        const rows = await stack.db.query("SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO = 'DO SLEEP(60)'", [stack.name]);
        return rows[0]?.id as string | undefined;
      });
      await stopProcess(stack.api, 'SIGKILL');
      // The dead process's connection ends too: what it had not committed is rolled back.
      await stack.db.query(`KILL CONNECTION ${Number(recording)}`);
      await dying;
    } finally {
      await stack.db.query('DROP TRIGGER IF EXISTS hold_recorded_answer');
    }
    await stack.db.query("UPDATE idempotency_record SET created_at = NOW(3) - INTERVAL 1 MINUTE WHERE idempotency_key = ? AND state = 'in_progress'", [key]);
    await stack.startApi();
  }

  it('starts once when the api dies while the answer of a committed start is being recorded', async () => {
    const doc = identified(uniqueEmail('crash'));
    const headers = { 'Idempotency-Key': `crash-${Date.now()}` };
    const before = await activities();
    await killWhileRecording(headers['Idempotency-Key'], () => start(stack, doc, { token, query, headers }));

    const retry = await start(stack, doc, { token, query, headers });
    expect(retry.status).toBe(200);
    expect(await activities()).toBe(before + 1);
    const again = await start(stack, doc, { token, query, headers });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.conversation.id).toBe(retry.body.conversation.id);
  });

  it('starts once when a retry takes over the claim of a request still running: the later to commit rolls back', async () => {
    const subject = `held-${Date.now()}`;
    const doc = startDocument(lm, { subject });
    const headers = { 'Idempotency-Key': subject };
    const before = await activities();
    // The first request to insert its activity waits there, inside its transaction, until the
    // test lets it go, its claim made to look dead meanwhile; the retry's insert does not wait
    // (the named lock is taken).
    const held = `${subject}:first`;
    const holder = await lockHolder(held);
    await stack.db.query(
      `CREATE TRIGGER hold_first_start BEFORE INSERT ON activity FOR EACH ROW
         IF NEW.subject = '${subject}' AND GET_LOCK('${subject}', 0) = 1 THEN DO GET_LOCK('${held}', 60); DO RELEASE_LOCK('${held}'); END IF`,
    );
    try {
      const first = start(stack, doc, { token, query: 'anonymousCustomer=yes', headers });
      await waitingOn(held);
      await stack.db.query('UPDATE idempotency_record SET created_at = NOW(3) - INTERVAL 1 MINUTE WHERE idempotency_key = ?', [headers['Idempotency-Key']]);
      const retry = await start(stack, doc, { token, query: 'anonymousCustomer=yes', headers });
      expect(retry.status).toBe(200);
      await holder.query('SELECT RELEASE_LOCK(?)', [held]);
      const late = await first;
      expect(late.status).toBe(409);
      expect(late.body.code).toBe(ERROR_CATALOGUE.IdempotencyRequestInProgress.code);
      expect(await activities()).toBe(before + 1);
      const replay = await start(stack, doc, { token, query: 'anonymousCustomer=yes', headers });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body.conversation.id).toBe(retry.body.conversation.id);
    } finally {
      await holder.query('SELECT RELEASE_ALL_LOCKS()');
      await holder.release();
      await stack.db.query('DROP TRIGGER IF EXISTS hold_first_start');
    }
  });

  it('answers a retry with another body that took over a claim still running with its own work, not the first request\'s', async () => {
    const subject = `held-other-${Date.now()}`;
    const headers = { 'Idempotency-Key': subject };
    const before = await activities();
    // Each start waits at its insert, inside its transaction, until the test lets it go.
    const [held, heldOther] = [`${subject}:first`, `${subject}:other`];
    const holder = await lockHolder(held, heldOther);
    await stack.db.query(
      `CREATE TRIGGER hold_first_start BEFORE INSERT ON activity FOR EACH ROW
         IF NEW.subject = '${subject}' THEN DO GET_LOCK('${held}', 60); DO RELEASE_LOCK('${held}');
         ELSEIF NEW.subject = '${subject}-other' THEN DO GET_LOCK('${heldOther}', 60); DO RELEASE_LOCK('${heldOther}'); END IF`,
    );
    try {
      const first = start(stack, startDocument(lm, { subject }), { token, query: 'anonymousCustomer=yes', headers });
      await waitingOn(held);
      await stack.db.query('UPDATE idempotency_record SET created_at = NOW(3) - INTERVAL 1 MINUTE WHERE idempotency_key = ?', [headers['Idempotency-Key']]);
      // Taken over while the first request waits in its transaction, and still running when that one records its answer.
      const other = startDocument(lm, { subject: `${subject}-other` });
      const taking = start(stack, other, { token, query: 'anonymousCustomer=yes', headers: headers });
      await waitingOn(heldOther);
      await holder.query('SELECT RELEASE_LOCK(?)', [held]);
      const late = await first;
      await holder.query('SELECT RELEASE_LOCK(?)', [heldOther]);
      const retry = await taking;
      expect(late.status).toBe(409);
      expect(retry.status).toBe(200);
      expect(await activities()).toBe(before + 1);
      const replay = await start(stack, other, { token, query: 'anonymousCustomer=yes', headers });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body.conversation.id).toBe(retry.body.conversation.id);
    } finally {
      await holder.query('SELECT RELEASE_ALL_LOCKS()');
      await holder.release();
      await stack.db.query('DROP TRIGGER IF EXISTS hold_first_start');
    }
  });

  it('keeps the claim of a retry that took over from a request still running when that request fails: a third retry gets 409 while the second runs', async () => {
    const subject = `taken-${Date.now()}`;
    const doc = startDocument(lm, { subject });
    const headers = { 'Idempotency-Key': subject };
    const send = () => start(stack, doc, { token, query: 'anonymousCustomer=yes', headers });
    const [first, retries, retriesRun] = [`${subject}:first`, `${subject}:retries`, `${subject}:run`];
    // User locks of a connection of the test pace the starts inside their transactions: the first
    // waits for `first`, then fails; those after it (once `retries` is held) wait for `run`.
    const holder = stack.db.createQueryRunner();
    await holder.connect();
    await holder.query('SELECT GET_LOCK(?, 0), GET_LOCK(?, 0)', [first, retriesRun]);
    await stack.db.query(
      `CREATE TRIGGER hold_taken_over_start BEFORE INSERT ON activity FOR EACH ROW
         IF NEW.subject = '${subject}' THEN
           IF IS_FREE_LOCK('${retries}') = 1 THEN
             DO GET_LOCK('${first}', 60);
             DO RELEASE_LOCK('${first}');
             SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the first start fails';
           ELSE
             DO GET_LOCK('${retriesRun}', 60);
             DO RELEASE_LOCK('${retriesRun}');
           END IF;
         END IF`,
    );
    try {
      const a = send();
      await waitingOn(first);
      await holder.query('SELECT GET_LOCK(?, 0)', [retries]);
      // A's claim looks dead, as after LOCK_SECONDS without a refresh (a long lock wait, a paused process).
      await stack.db.query('UPDATE idempotency_record SET created_at = NOW(3) - INTERVAL 1 MINUTE WHERE idempotency_key = ?', [subject]);
      const b = send();
      await waitingOn(retriesRun);
      await holder.query('SELECT RELEASE_LOCK(?)', [first]);
      const failed = await a;
      expect(failed.status).toBe(500);

      // B still runs: its claim stands, and a third attempt is told so rather than running the work beside it.
      const c = await send();
      expect(c.status).toBe(409);
      expect(c.body.code).toBe(ERROR_CATALOGUE.IdempotencyRequestInProgress.code);
      expect(c.headers.get('retry-after')).toBe('1');
      expect((await stack.db.query('SELECT state FROM idempotency_record WHERE idempotency_key = ?', [subject]))[0]?.state).toBe('in_progress');

      await holder.query('SELECT RELEASE_LOCK(?)', [retriesRun]);
      const done = await b;
      expect(done.status).toBe(200);
      expect(done.headers.get('idempotent-replayed')).toBeNull();
      expect(Number((await stack.db.query('SELECT COUNT(*) AS n FROM activity WHERE subject = ?', [subject]))[0].n)).toBe(1);
      const replay = await send();
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body.conversation.id).toBe(done.body.conversation.id);
    } finally {
      await holder.query('SELECT RELEASE_ALL_LOCKS()');
      await holder.release();
      await stack.db.query('DROP TRIGGER IF EXISTS hold_taken_over_start');
    }
  });

  it('lets a request refresh, free and complete only its own claim, not one a retry took over from it', async () => {
    const store = new IdempotencyStore(stack.db);
    const scope = 'client_application:owners';
    const key = `owners-${Date.now()}`;
    const hash = Buffer.alloc(32, 5);
    const record = async () => (await stack.db.query('SELECT owner, state, created_at < NOW(3) - INTERVAL 30 SECOND AS stale FROM idempotency_record WHERE scope = ? AND idempotency_key = ?', [scope, key]))[0];
    const a = await store.begin(scope, key, hash, 30);
    if (a.kind !== 'new') throw new Error(`expected the key claimed, got ${a.kind}`);
    await stack.db.query('UPDATE idempotency_record SET created_at = NOW(3) - INTERVAL 1 MINUTE WHERE scope = ? AND idempotency_key = ?', [scope, key]);
    const b = await store.begin(scope, key, hash, 30);
    if (b.kind !== 'new') throw new Error(`expected the stale claim taken over, got ${b.kind}`);
    expect(b.owner.equals(a.owner)).toBe(false);

    // B's claim made to look stale: A's refresh must not revive it.
    await stack.db.query('UPDATE idempotency_record SET created_at = NOW(3) - INTERVAL 1 MINUTE WHERE scope = ? AND idempotency_key = ?', [scope, key]);
    expect(await store.touch(scope, key, a.owner)).toBe(false);
    expect(Number((await record()).stale)).toBe(1);
    expect(await store.touch(scope, key, b.owner)).toBe(true);
    expect(Number((await record()).stale)).toBe(0);

    await store.release(scope, key, a.owner);
    expect(Buffer.from((await record()).owner).equals(b.owner)).toBe(true);
    expect(await store.begin(scope, key, hash, 30)).toEqual({ kind: 'in-progress' });

    expect(await stack.db.transaction((manager) => store.completeWithin(manager, scope, key, a.owner, 200, { by: 'a' }))).toBe(false);
    expect(await store.complete(scope, key, a.owner, 200, { by: 'a' })).toBe(false);
    expect((await record()).state).toBe('in_progress');
    expect(await stack.db.transaction((manager) => store.completeWithin(manager, scope, key, b.owner, 200, { by: 'b' }))).toBe(true);
    expect(await store.begin(scope, key, hash, 30)).toEqual({ kind: 'replay', statusCode: 200, response: { by: 'b' } });
    await store.release(scope, key, b.owner);
    expect((await record()).state).toBe('completed');
  });

  it('frees the key of a failed request so it can be retried with a corrected body', async () => {
    const headers = { 'Idempotency-Key': 'failed-first' };
    const stale = await start(stack, startDocument('2001-01-01T00:00:00Z'), { token, query: 'anonymousCustomer=yes', headers });
    expect(stale.status).toBe(409);
    const fixed = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes', headers });
    expect(fixed.status).toBe(200);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
    const again = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes', headers });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.conversation.id).toBe(fixed.body.conversation.id);
  });

  it('scopes keys per client application', async () => {
    const hash = await hashSecret('second-secret');
    const app = await stack.db.query("INSERT INTO client_application (name, type, client_id, secret_hash) VALUES ('Second chat', 'chat', 'second-chat', ?)", [hash]);
    await stack.db.query('INSERT INTO client_application_entry_point (client_application_id, entry_point_id) VALUES (?, 1001)', [app.insertId]);
    const other = await login(stack, 'second-chat', 'second-secret');
    const headers = { 'Idempotency-Key': 'shared-key-value' };
    const a = await start(stack, identified(uniqueEmail('scope-a')), { token, query, headers });
    const b = await start(stack, identified(uniqueEmail('scope-b')), { token: other, query, headers });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(b.body.conversation.id).not.toBe(a.body.conversation.id);
  });

  it('purges every expired record, however many there are, and keeps the others', async () => {
    const purgeable = async () => Number((await stack.db.query('SELECT COUNT(*) AS n FROM idempotency_record WHERE created_at < NOW(3) - INTERVAL 24 HOUR'))[0].n);
    await stack.db.query(
      `INSERT INTO idempotency_record (scope, idempotency_key, request_hash, state, status_code, response, created_at)
       SELECT 'client_application:purge', CONCAT('old-', seq), UNHEX(SHA2(seq, 256)), 'completed', 200, '{}', NOW(3) - INTERVAL 25 HOUR FROM seq_1_to_25000`,
    );
    const kept = Number((await stack.db.query('SELECT COUNT(*) AS n FROM idempotency_record'))[0].n) - 25000;
    expect(await purgeable()).toBe(25000);
    await new IdempotencyStore(stack.db).purgeExpired();
    expect(await purgeable()).toBe(0);
    expect(Number((await stack.db.query('SELECT COUNT(*) AS n FROM idempotency_record'))[0].n)).toBe(kept);
    expect(kept).toBeGreaterThan(0);
  });

  it('has expired records purged by a worker as soon as it starts, not only 15 minutes later', async () => {
    await stack.db.query(
      `INSERT INTO idempotency_record (scope, idempotency_key, request_hash, state, status_code, response, created_at)
       SELECT 'client_application:at-start', CONCAT('old-', seq), UNHEX(SHA2(seq, 256)), 'completed', 200, '{}', NOW(3) - INTERVAL 25 HOUR FROM seq_1_to_3`,
    );
    const left = async () => Number((await stack.db.query("SELECT COUNT(*) AS n FROM idempotency_record WHERE scope = 'client_application:at-start'"))[0].n);
    expect(await left()).toBe(3);
    await stack.startWorker();
    await waitFor(async () => (await left()) === 0, 10_000);
  });

  it('refuses a malformed key', async () => {
    const res = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes', headers: { 'Idempotency-Key': 'x'.repeat(256) } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(ERROR_CATALOGUE.IdempotencyKeyInvalid.code);
  });

  describe('on sendmessage', () => {
    it('stores one message for any number of retries with the same key, in parallel too', async () => {
      const started = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' });
      const conversationId = started.body.conversation.id;
      await waitFor(async () => (await stack.db.query("SELECT state FROM activity WHERE conversation_id = ?", [conversationId]))[0].state === 'assigned');
      const send = (key: string, content: string) =>
        http(`${stack.clientApiUrl}/messaging/sendmessage`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
          body: JSON.stringify({ conversation: { id: conversationId }, type: { value: 'text/plain' }, content }),
        });
      const messages = async () => Number((await stack.db.query("SELECT COUNT(*) AS n FROM message WHERE conversation_id = ? AND sender_type = 'customer'", [conversationId]))[0].n);

      const first = await send('msg-1', 'Hello?');
      expect(first.status).toBe(200);
      const replay = await send('msg-1', 'Hello?');
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(first.body);
      expect(await messages()).toBe(1);

      const burst = await Promise.all(Array.from({ length: 8 }, () => send('msg-2', 'Anyone there?')));
      expect(burst.every((r) => r.status === 200 || r.status === 409)).toBe(true);
      expect(await messages()).toBe(2);
      expect((await send('msg-2', 'Something else')).status).toBe(422);
    });

    it.each([
      ['a message', { type: { value: 'text/plain' }, content: 'Still there?' }],
      ['the completion', { type: { value: 'complete' } }],
    ])('sends %s once when the api dies while its answer is being recorded', async (_, message) => {
      const started = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' });
      const conversationId = started.body.conversation.id;
      const key = `crash-send-${Date.now()}`;
      const send = () =>
        http(`${stack.clientApiUrl}/messaging/sendmessage`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
          body: JSON.stringify({ conversation: { id: conversationId }, ...message }),
        });
      const sent = async () => Number((await stack.db.query('SELECT COUNT(*) AS n FROM message WHERE conversation_id = ? AND type = ?', [conversationId, message.type.value]))[0].n);
      await killWhileRecording(key, send);

      const retry = await send();
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
      expect(await sent()).toBe(1);
      const again = await send();
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(retry.body);
    });
  });

  describe("on the agent's sendmessage", () => {
    /** A chat assigned to an agent, and a session of that agent. */
    async function assignedChat(): Promise<{ conversationId: string; agentToken: string }> {
      const started = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' });
      const conversationId = started.body.conversation.id;
      const agentId = await waitFor(async () => {
        const [row] = await stack.db.query('SELECT state, agent_id FROM activity WHERE conversation_id = ?', [conversationId]);
        return row.state === 'assigned' ? String(row.agent_id) : undefined;
      });
      return { conversationId, agentToken: await agentLogin(stack, agentId) };
    }
    const agentSend = (agentToken: string, key: string, body: Record<string, unknown>) =>
      http(`${stack.contextUrl}/ws/v19/agent/messaging/sendmessage`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${agentToken}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
        body: JSON.stringify(body),
      });
    const agentMessages = async (conversationId: string) =>
      Number((await stack.db.query("SELECT COUNT(*) AS n FROM message WHERE conversation_id = ? AND sender_type = 'user' AND type LIKE 'text/%'", [conversationId]))[0].n);

    it('sends one message to the customer for any number of retries with the same key, in parallel too', async () => {
      const { conversationId, agentToken } = await assignedChat();
      const text = (content: string) => ({ conversation: { id: conversationId }, type: { value: 'text/plain' }, content });

      const first = await agentSend(agentToken, 'agent-msg-1', text('Hello, how can I help?'));
      expect(first.status).toBe(200);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const replay = await agentSend(agentToken, 'agent-msg-1', text('Hello, how can I help?'));
      expect(replay.status).toBe(200);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(first.body);
      expect(await agentMessages(conversationId)).toBe(1);

      const burst = await Promise.all(Array.from({ length: 8 }, () => agentSend(agentToken, 'agent-msg-2', text('One moment please.'))));
      expect(burst.filter((r) => r.status !== 200 && r.status !== 409).map((r) => r.text)).toEqual([]);
      expect(await agentMessages(conversationId)).toBe(2);
      const other = await agentSend(agentToken, 'agent-msg-2', text('Something else'));
      expect(other.status).toBe(422);
      expect(other.body.code).toBe(ERROR_CATALOGUE.IdempotencyKeyReused.code);
      expect(await agentMessages(conversationId)).toBe(2);

      // The agent's keys are its own: the client application's same key is another caller's.
      const customer = await http(`${stack.clientApiUrl}/messaging/sendmessage`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': 'agent-msg-1' },
        body: JSON.stringify(text('Thanks')),
      });
      expect(customer.status).toBe(200);
      expect(customer.headers.get('idempotent-replayed')).toBeNull();
    });

    it('sends a message once when the api dies while its answer is being recorded', async () => {
      const { conversationId, agentToken } = await assignedChat();
      const key = `crash-agent-send-${Date.now()}`;
      const send = () => agentSend(agentToken, key, { conversation: { id: conversationId }, type: { value: 'text/plain' }, content: 'Your parcel left today.' });
      await killWhileRecording(key, send);

      const retry = await send();
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
      expect(await agentMessages(conversationId)).toBe(1);
      const again = await send();
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(retry.body);
    });
  });
});
