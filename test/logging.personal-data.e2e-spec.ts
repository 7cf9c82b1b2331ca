import { randomBytes } from 'node:crypto';
import { customerThrottleValue } from '../src/modules/conversation/interface/start-throttle-key';
import { loginSubjectDigest } from '../src/platform/security/login-subject';
import { adminApi } from './support/admin';
import { agentCall, agentLogin, waitForActivity } from './support/assignment';
import { http, lastModified, login, start, startDocument } from './support/client';
import { adminLogin, applicationId, message, putCallback, sendMessage } from './support/messaging';
import { freePort } from './support/operations';
import { Stack, waitFor } from './support/stack';
import { WebhookReceiver } from './support/webhook-receiver';

const marker = (tag: string) => `${tag}${randomBytes(6).toString('hex')}`;

/**
 * What the api and the worker write outside the database, at the most talkative level, while
 * the platform handles personal data and secrets through its real flows: none of them may
 * appear in a log line (docs/operations.md, Logs).
 */
describe('logs: no personal data or secret in the output of the api and the worker, even at trace', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let workerPort: number;

  beforeAll(async () => {
    workerPort = await freePort();
    // One start per customer identifier in a window: the second start of a customer is throttled (and logged).
    // Every start of the file is assigned and stays open: the agents have room for all of them.
    stack = await Stack.start({ env: { LOG_LEVEL: 'trace', WORKER_HEALTH_PORT: String(workerPort), START_THROTTLE_LIMIT_PER_CUSTOMER: '1', START_THROTTLE_WINDOW_MS: '60000' }, agentCapacity: 30 });
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver?.stop();
    await stack?.stop();
  });

  /** Every line of every process that contains one of `secrets`, with the secret it contains. */
  function linesWith(secrets: string[]): string[] {
    const output = [...stack.api.output, ...stack.workers.flatMap((w) => w.output)];
    return output.flatMap((line) => secrets.filter((s) => line.toLowerCase().includes(s.toLowerCase())).map((s) => `${s}: ${line}`));
  }

  it('logs none of the customer data of a start and its messages, nor the credentials it was handled with', async () => {
    const appId = await applicationId(stack);
    const admin = await adminLogin(stack);
    const hookPassword = marker('hookpw');
    receiver.auth = { type: 'basic', username: 'hooks', password: hookPassword };
    expect((await putCallback(stack, admin, appId, { url: receiver.url(), format: 'json', authentication: { type: 'basic', username: 'hooks', password: hookPassword } })).status).toBe(200);

    const email = `${marker('mail')}@example.com`;
    const firstName = marker('Name');
    const phone = `+4420${String(Date.now()).slice(-7)}`;
    const text = marker('text');
    const token = await login(stack);
    const res = await start(stack, startDocument(await lastModified(stack, token), {
      subject: marker('subject'),
      customer: { contacts: { contact: [{ firstName, email: [{ emailAddress: email }], phone: [{ type: { value: "mobile" }, phoneNo: phone }] }] } },
    }), { token, query: 'searchContactOnAttribute=email.emailAddress' });
    expect(res.status).toBe(200);
    const conversationId = res.body.conversation.id as string;
    const assigned = await waitForActivity(stack, conversationId, (a) => a.state === 'assigned');
    expect((await sendMessage(stack, token, message(conversationId, 'text/plain', text))).status).toBe(200);

    const agent = await agentLogin(stack, (await stack.db.query('SELECT username FROM user_account WHERE id = ?', [assigned.agent_id]))[0].username);
    const reply = marker('reply');
    expect((await sendMessage(stack, agent.token, message(conversationId, 'text/plain', reply), 'agent')).status).toBe(200);
    await receiver.waitFor(() => receiver.delivered(conversationId).some((m) => m.content === reply));

    expect(linesWith([email, firstName, phone, text, reply, hookPassword, token, agent.token, admin, stack.credentials.chatClientSecret, stack.credentials.agentPassword, stack.credentials.adminPassword])).toEqual([]);
  });

  it('logs neither the secrets an administrator is answered nor the OAuth2 credentials of a callback', async () => {
    const admin = await adminLogin(stack);
    const created = await adminApi(stack, admin)('POST', 'clientapplications', { body: { name: 'Privacy app', type: 'chat', entryPointIds: ['1001'], callbackUrl: receiver.url('/other') } });
    expect(created.status).toBe(201);
    const { clientId, clientSecret, callbackSigningSecret } = created.body.clientApplication;

    receiver.auth = { type: 'bearer' };
    receiver.oauthClient = { id: marker('oauthid'), secret: marker('oauthsecret'), expiresIn: 3600 };
    const appId = await applicationId(stack);
    const oauth2 = { type: 'oauth2', tokenUrl: receiver.url('/token'), clientId: receiver.oauthClient.id, clientSecret: receiver.oauthClient.secret };
    expect((await putCallback(stack, admin, appId, { url: receiver.url(), format: 'json', authentication: oauth2 })).status).toBe(200);
    const token = await login(stack);
    const res = await start(stack, startDocument(await lastModified(stack, token)), { token, query: 'anonymousCustomer=yes' });
    expect(res.status).toBe(200);
    await receiver.waitFor(() => receiver.delivered(res.body.conversation.id).length > 0);
    const bearer = String(receiver.callbacks.at(-1)!.headers.authorization).replace(/^Bearer /, '');

    expect(linesWith([clientSecret, callbackSigningSecret, receiver.oauthClient.secret, bearer, admin])).toEqual([]);
    expect(clientId).toBeDefined();
  });

  it('names a user whose login was refused by the account\'s id or the digest of the name, never the name: a password typed into it, an e-mail address', async () => {
    const typedPassword = marker('pw');
    const address = `${marker('agent')}@example.com`;
    const userLogin = (kind: 'agent' | 'administration', username: string, password: string) =>
      http(`${stack.contextUrl}/ws/v19/${kind}/authentication/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
    expect((await userLogin('agent', typedPassword, typedPassword)).status).toBe(401);
    expect((await userLogin('administration', address, 'wrong')).status).toBe(401);
    const dashboard = await http(`${stack.contextUrl}/admin/queues/api/queues`, { headers: { Authorization: `Basic ${Buffer.from(`${address}:${typedPassword}`).toString('base64')}` } });
    expect(dashboard.status).toBe(401);
    expect((await userLogin('agent', 'alice', 'a wrong password')).status).toBe(401);
    const refusals = await waitFor(async () => {
      const found = stack.api.output.filter((l) => /"msg":"user (login|credentials) refused"/.test(l)).map((l) => JSON.parse(l));
      return found.length >= 4 && found;
    });
    const [aliceId] = (await stack.db.query("SELECT id FROM user_account WHERE username = 'alice'")).map((r: { id: string }) => String(r.id));
    expect(refusals.map((l: Record<string, unknown>) => [l.subjectDigest, l.userId])).toEqual(expect.arrayContaining([
      [loginSubjectDigest(typedPassword), undefined],
      [loginSubjectDigest(address), undefined],
      [loginSubjectDigest('alice'), aliceId],
    ]));
    expect(linesWith([typedPassword, address, '"alice"'])).toEqual([]);
  });

  it('names a client application whose login was refused by the digest of the key and the application\'s id, never the key: a secret pasted into it', async () => {
    const pastedSecret = marker('pastedsecret');
    const { chatClientKey } = stack.credentials;
    const tokenAttempt = (clientKey: string, clientSecret: string) => http(`${stack.clientApiUrl}/authentication/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${clientKey}:${clientSecret}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    expect((await tokenAttempt(pastedSecret, 'wrong')).status).toBe(401);
    expect((await tokenAttempt(chatClientKey, 'wrong')).status).toBe(401);
    const refusals = await waitFor(async () => {
      const found = stack.api.output.filter((l) => l.includes('"msg":"client application login refused"')).map((l) => JSON.parse(l));
      return found.some((l) => l.subjectDigest === loginSubjectDigest(chatClientKey)) && found;
    });
    expect(refusals.map((l: Record<string, unknown>) => [l.subjectDigest, l.clientApplicationId])).toEqual(expect.arrayContaining([
      [loginSubjectDigest(pastedSecret), undefined],
      [loginSubjectDigest(chatClientKey), await applicationId(stack)],
    ]));
    expect(linesWith([pastedSecret, `"${chatClientKey}"`])).toEqual([]);
  });

  it('names a customer whose starts were throttled by a digest of the identifier, not by the e-mail address', async () => {
    const email = `${marker('often')}@example.com`;
    const token = await login(stack);
    const lm = await lastModified(stack, token);
    const again = () => start(stack, startDocument(lm, { customer: { contacts: { contact: [{ firstName: 'Ada', email: [{ emailAddress: email }] }] } } }), { token, query: 'searchContactOnAttribute=email.emailAddress' });
    expect((await again()).status).toBe(200);
    const refused = await again();
    expect(refused.status).toBe(429);
    const line = await waitFor(async () => stack.api.output.find((l) => l.includes(`"correlationId":"${refused.headers.get('x-request-id')}"`) && l.includes('"msg":"rate limit reached"')));
    expect(JSON.parse(line)).toMatchObject({ limit: 'start-per-customer', key: expect.stringMatching(/^\d+:email\.emailAddress:[A-Za-z0-9_-]{43}$/) });
    expect(linesWith([email])).toEqual([]);
  });

  it('logs a throttled customer\'s key whole, however long the name of its searchable attribute: the digest an operator matches to the counter', async () => {
    // 64 characters, the longest name an attribute definition may have.
    const name = `loyalty_${'x'.repeat(56)}`;
    const created = await adminApi(stack, await adminLogin(stack))('POST', 'attributes', { body: { scope: 'contact', name, type: 'string', maxLength: 40, searchable: true } });
    expect(created.status).toBe(201);
    const value = marker('member');
    const token = await login(stack);
    const lm = await lastModified(stack, token);
    const contact = { firstName: 'Ada', customAttributes: { customAttribute: [{ attribName: name, attribValues: { attribValue: [{ value }] } }] } };
    const again = () => start(stack, startDocument(lm, { customer: { contacts: { contact: [contact] } } }), { token, query: `searchContactOnAttribute=custom.${name}` });
    expect((await again()).status).toBe(200);
    const refused = await again();
    expect(refused.status).toBe(429);
    const line = await waitFor(async () => stack.api.output.find((l) => l.includes(`"correlationId":"${refused.headers.get('x-request-id')}"`) && l.includes('"msg":"rate limit reached"')));
    const key = `${await applicationId(stack)}:custom.${name}:${customerThrottleValue(`custom.${name}`, value)}`;
    expect(key.length).toBeGreaterThan(80);
    expect(JSON.parse(line)).toMatchObject({ limit: 'start-per-customer', key });
    expect(linesWith([value])).toEqual([]);
  });

  it('logs no value of a query parameter the API does not read: a token, a client secret or an address put in the URL', async () => {
    const accessToken = marker('urltoken');
    const clientSecret = marker('urlsecret');
    const email = `${marker('url')}@example.com`;
    const id = marker('req');
    const refused = await http(`${stack.clientApiUrl}/messaging/conversation/start?access_token=${accessToken}&email=${encodeURIComponent(email)}&anonymousCustomer=yes`, { method: 'POST', headers: { 'X-Request-Id': id } });
    expect(refused.status).toBe(401);
    const token = await http(`${stack.clientApiUrl}/authentication/oauth2/token?client_id=${stack.credentials.chatClientKey}&client_secret=${clientSecret}`, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Request-Id': `${id}-token` }, body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(401);
    // Both requests were logged, with the names of what was sent and the parameters the API reads.
    const line = await waitFor(async () => stack.api.output.find((l) => l.includes(`"correlationId":"${id}"`) && l.includes('"msg":"request completed"')));
    expect(JSON.parse(line).req.url).toBe('/system/ws/v19/clientapplications/messaging/conversation/start?access_token=…&email=…&anonymousCustomer=yes');
    await waitFor(async () => stack.api.output.find((l) => l.includes(`"correlationId":"${id}-token"`) && l.includes('"msg":"request completed"')));
    expect(linesWith([accessToken, clientSecret, email, encodeURIComponent(email)])).toEqual([]);
  });

  // Statements of a start that fail as no rule of the start foresees (it answers 500): a duplicate
  // key on the customer, whose error quotes the value, and a value too long for a contact point,
  // whose statement's parameters hold the e-mail address. Triggers make them fail on demand.
  it.each([
    { table: 'customer', column: 'VARCHAR(255) NOT NULL PRIMARY KEY', value: 'NEW.first_name', code: 'ER_DUP_ENTRY', duplicate: true, said: "Duplicate entry '…' for key 'PRIMARY'", statement: 'INSERT INTO customer' },
    { table: 'contact_point', column: 'VARCHAR(5) NOT NULL', value: 'NEW.value', code: 'ER_DATA_TOO_LONG', duplicate: false, said: "Data too long for column 'v' at row 1", statement: 'INSERT INTO contact_point' },
  ])('logs no parameter of a statement on $table that failed inside a start ($code), nor a value its message quotes', async ({ table, column, value, code, duplicate, said, statement }) => {
    const email = `${marker('sql')}@example.com`;
    const firstName = marker('Name');
    await stack.db.query(`CREATE TABLE privacy_probe (v ${column})`);
    if (duplicate) await stack.db.query('INSERT INTO privacy_probe (v) VALUES (?)', [firstName]);
    await stack.db.query(`CREATE TRIGGER privacy_probe_trigger BEFORE INSERT ON ${table} FOR EACH ROW INSERT INTO privacy_probe (v) VALUES (${value})`);
    try {
      const token = await login(stack);
      const res = await start(stack, startDocument(await lastModified(stack, token), {
        customer: { contacts: { contact: [{ firstName, lastName: 'Lovelace', email: [{ emailAddress: email }] }] } },
      }), { token, query: 'searchContactOnAttribute=email.emailAddress' });
      expect(res.status).toBe(500);
      const logged = await waitFor(async () => stack.api.output.find((l) => l.includes('"msg":"unhandled error"') && l.includes(code)));
      // What the operator needs is kept: which statement failed, with which code, and why.
      expect(JSON.parse(logged)).toMatchObject({ correlationId: res.headers.get('x-request-id'), err: { type: 'QueryFailedError', code, message: said, query: expect.stringContaining(statement) } });
      expect(linesWith([email, firstName])).toEqual([]);
    } finally {
      await stack.db.query('DROP TRIGGER privacy_probe_trigger');
      await stack.db.query('DROP TABLE privacy_probe');
    }
  });

  it('masks in the worker\'s log the value MySQL quotes when a chat\'s assignment fails: an error logged as text', async () => {
    const subject = marker('subject');
    await stack.db.query('CREATE TABLE privacy_probe_worker (v VARCHAR(255) NOT NULL PRIMARY KEY)');
    await stack.db.query('INSERT INTO privacy_probe_worker (v) VALUES (?)', [subject]);
    await stack.db.query(`CREATE TRIGGER privacy_probe_worker_trigger BEFORE UPDATE ON activity FOR EACH ROW
      IF NEW.state = 'assigned' AND NEW.subject = '${subject}' THEN INSERT INTO privacy_probe_worker (v) VALUES (NEW.subject); END IF`);
    try {
      const token = await login(stack);
      const res = await start(stack, startDocument(await lastModified(stack, token), { subject }), { token, query: 'anonymousCustomer=yes' });
      expect(res.status).toBe(200);
      const logged = await waitFor(async () => stack.workers[0].output.find((l) => l.includes('assignment of a chat failed') && l.includes(`"correlationId":"${res.headers.get('x-request-id')}"`)));
      expect(JSON.parse(logged)).toMatchObject({ level: 50, code: 'ER_DUP_ENTRY', err: "Duplicate entry '…' for key 'PRIMARY'" });
      // The job's outcome, which Bull keeps in Redis and the queue dashboard shows, says the same.
      const job = `${stack.env.REDIS_PREFIX}:assignment:assign:${res.body.conversation.activity.id}`;
      const outcome = await waitFor(async () => stack.redis.hget(job, 'returnvalue'));
      expect(JSON.parse(outcome)).toMatchObject({ outcome: 'failed', reason: "Duplicate entry '…' for key 'PRIMARY'" });
      expect(linesWith([subject])).toEqual([]);
    } finally {
      await stack.db.query('DROP TRIGGER privacy_probe_worker_trigger');
      await stack.db.query('DROP TABLE privacy_probe_worker');
    }
  });

  it('keeps in Redis only the masked message and stack of a job that failed, which is retried as before', async () => {
    const email = `${marker('job')}@example.com`;
    const appId = await applicationId(stack);
    receiver.auth = undefined;
    expect((await putCallback(stack, await adminLogin(stack), appId, { url: receiver.url(), format: 'json' })).status).toBe(200);
    // The delivery's claim of the application fails as a statement whose error quotes an address would.
    await stack.db.query('CREATE TABLE privacy_probe_job (v VARCHAR(255) NOT NULL PRIMARY KEY)');
    await stack.db.query('INSERT INTO privacy_probe_job (v) VALUES (?)', [email]);
    await stack.db.query(`CREATE TRIGGER privacy_probe_job_trigger BEFORE UPDATE ON webhook_dispatch FOR EACH ROW
      IF NEW.client_application_id = ${Number(appId)} AND NEW.lease_token IS NOT NULL THEN INSERT INTO privacy_probe_job (v) VALUES ('${email}'); END IF`);
    let failedJob: string | undefined;
    try {
      const token = await login(stack);
      const res = await start(stack, startDocument(await lastModified(stack, token)), { token, query: 'anonymousCustomer=yes' });
      expect(res.status).toBe(200);
      failedJob = await waitFor(async () => {
        for (const key of await stack.redis.keys(`${stack.env.REDIS_PREFIX}:webhook:*`)) {
          if ((await stack.redis.type(key)) === 'hash' && /Duplicate entry/.test((await stack.redis.hget(key, 'failedReason')) ?? '')) return key;
        }
        return undefined;
      });
      const [failedReason, stacktrace] = await stack.redis.hmget(failedJob, 'failedReason', 'stacktrace');
      // What the operator needs is kept: what failed, and where.
      expect(failedReason).toBe("Duplicate entry '…' for key 'PRIMARY'");
      expect(JSON.parse(stacktrace!)[0]).toMatch(/^QueryFailedError: Duplicate entry '…' for key 'PRIMARY'\n\s+at /);
      expect(`${failedReason} ${stacktrace}`).not.toContain(email);
    } finally {
      await stack.db.query('DROP TRIGGER privacy_probe_job_trigger');
      await stack.db.query('DROP TABLE privacy_probe_job');
    }
    // Bull retries the failed attempt as before: the job ends completed.
    await waitFor(async () => (await stack.redis.hget(failedJob!, 'finishedOn')) !== null && (await stack.redis.hget(failedJob!, 'returnvalue')) !== null, 30000);
    expect(Number(await stack.redis.hget(failedJob!, 'attemptsMade'))).toBeGreaterThanOrEqual(1);
    expect(linesWith([email])).toEqual([]);
  });

  it('logs no credentials, path nor query string of a callback URL the HTTP client quotes when it refuses it', async () => {
    const password = marker('urlpw');
    const urlToken = marker('urltoken');
    // A chat service's incoming webhook: whoever knows the path may post.
    const pathSecret = marker('urlpath');
    const appId = await applicationId(stack);
    const admin = await adminLogin(stack);
    receiver.auth = undefined;
    expect((await putCallback(stack, admin, appId, { url: receiver.url(), format: 'json' })).status).toBe(200);
    // The API refuses such a URL; a row written by hand still holds one, which the HTTP client refuses in turn, quoting it.
    const written = receiver.url(`/T000/B000/${pathSecret}?token=${urlToken}`).replace('http://', `http://hooks:${password}@`);
    await stack.db.query('UPDATE client_application SET callback_url = ? WHERE id = ?', [written, appId]);
    try {
      const token = await login(stack);
      const res = await start(stack, startDocument(await lastModified(stack, token)), { token, query: 'anonymousCustomer=yes' });
      expect(res.status).toBe(200);
      const logged = await waitFor(async () => stack.workers.flatMap((w) => w.output).find((l) => l.includes('"msg":"callback failed"') && l.includes(`"correlationId":"${res.headers.get('x-request-id')}"`)));
      // What the operator needs is kept: why, and which receiver (scheme, host and port).
      expect(JSON.parse(logged).result).toBe(`network error: Request cannot be constructed from a URL that includes credentials: ${receiver.url('/…?…').replace('http://', 'http://…@')}`);
      expect(linesWith([password, urlToken, pathSecret])).toEqual([]);
    } finally {
      expect((await putCallback(stack, admin, appId, { url: receiver.url(), format: 'json' })).status).toBe(200);
    }
  });

  it('keeps no personal data in clear in Redis (jobs, throttle counters, caches) nor in the metrics', async () => {
    const email = `${marker('redis')}@example.com`;
    const token = await login(stack);
    const res = await start(stack, startDocument(await lastModified(stack, token), { customer: { contacts: { contact: [{ firstName: 'Ada', email: [{ emailAddress: email }] }] } } }), { token, query: 'searchContactOnAttribute=email.emailAddress' });
    expect(res.status).toBe(200);
    const activity = await waitForActivity(stack, res.body.conversation.id, (a) => a.state === 'assigned');
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await stack.redis.scan(cursor, 'MATCH', `${stack.env.REDIS_PREFIX}:*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    const found: string[] = [];
    for (const key of keys) {
      if (key.includes(email)) found.push(key);
      const type = await stack.redis.type(key);
      const dump = type === 'string' ? await stack.redis.get(key) : type === 'hash' ? JSON.stringify(await stack.redis.hgetall(key)) : type === 'list' ? JSON.stringify(await stack.redis.lrange(key, 0, -1)) : type === 'zset' ? JSON.stringify(await stack.redis.zrange(key, 0, -1)) : type === 'set' ? JSON.stringify(await stack.redis.smembers(key)) : '';
      if (dump?.includes(email)) found.push(`${key}: ${dump}`);
    }
    // The start's assignment job is among them (Bull keeps completed jobs): what the queue dashboard shows.
    expect(keys.filter((k) => k.endsWith(`:assign:${activity.id}`))).toHaveLength(1);
    expect(found).toEqual([]);
    const metrics = [await http(`${stack.baseUrl}/metrics`), await http(`http://127.0.0.1:${workerPort}/metrics`)];
    expect(metrics.map((m) => [m.status, m.text.includes(email)])).toEqual([[200, false], [200, false]]);
  });
});
