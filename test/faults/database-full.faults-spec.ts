import { ERROR_CATALOGUE } from '../../src/platform/errors/error-catalogue';
import { assignmentLedger, waitForActivity } from '../support/assignment';
import { clientOf, customerWithEmail, start, startDocument, uniqueEmail } from '../support/client';
import { PrivateMariaDb } from '../support/private-services';
import { Stack, waitFor, waitForOutput } from '../support/stack';

const TABLES = ['customer', 'contact_point', 'customer_case', 'activity', 'conversation', 'outbox', 'message', 'idempotency_record'];

/**
 * A database that cannot take writes for a while: a trigger of the test refuses the inserts of
 * one table with the error MariaDB gives for a full table or disk (1114, "The table ... is full").
 * A start is answered 503 with Retry-After and writes nothing; an assignment is retried until
 * the table takes writes again. A private MariaDB, as every fault test.
 */
describe('a database that cannot take writes', () => {
  const mariadb = new PrivateMariaDb();
  let stack: Stack;

  beforeAll(async () => {
    await mariadb.start();
    stack = await Stack.start({ env: { DB_PORT: String(mariadb.port) }, agentCapacity: 100 });
  }, 120000);

  afterAll(async () => {
    await stack?.stop().catch(() => undefined);
    await mariadb.destroy();
  });

  const refuseInserts = (table: string) =>
    stack.db.query(`CREATE TRIGGER ${table}_full BEFORE INSERT ON ${table} FOR EACH ROW SIGNAL SQLSTATE 'HY000' SET MESSAGE_TEXT = 'The table ${table} is full', MYSQL_ERRNO = 1114`);
  const takeInserts = (table: string) => stack.db.query(`DROP TRIGGER ${table}_full`);

  it('answers a start 503 with Retry-After, writes nothing, and a retry with the same key starts it once the table takes writes', async () => {
    const client = await clientOf(stack, '1001');
    const send = () =>
      start(stack, startDocument(client.lm, { customer: customerWithEmail(uniqueEmail('full')) }), {
        token: client.token,
        query: 'searchContactOnAttribute=email.emailAddress',
        headers: { 'Idempotency-Key': 'start-while-full' },
      });
    const before = await stack.rowCounts(TABLES);
    await refuseInserts('activity');
    try {
      const refused = await send();
      expect(refused.status).toBe(503);
      expect(refused.body.code).toBe(ERROR_CATALOGUE.ServiceUnavailable.code);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(refused.text).not.toMatch(/table|activity|\n\s+at /i);
      expect(await stack.rowCounts(TABLES)).toEqual(before);
      // The operator learns why from the log; the client is not told.
      await waitForOutput(stack.api, /"code":"ER_RECORD_FILE_FULL".*"msg":"request failed"/, 5000);
    } finally {
      await takeInserts('activity');
    }
    const started = await send();
    expect(started.status).toBe(200);
    await waitForActivity(stack, started.body.conversation.id, (a) => a.state === 'assigned');
  });

  it('retries an assignment whose event cannot be written, and assigns it once when the table takes writes', async () => {
    const client = await clientOf(stack, '1001');
    await refuseInserts('message');
    let conversationId: string;
    try {
      const res = await start(stack, startDocument(client.lm), { token: client.token, query: 'anonymousCustomer=yes' });
      expect(res.status).toBe(200);
      conversationId = res.body.conversation.id;
      const activity = await waitForActivity(stack, conversationId, () => true);
      // Its job has failed twice (the 'assigned' event refused), and the activity is untouched.
      const job = `${stack.env.REDIS_PREFIX}:assignment:assign:${activity.id}`;
      await waitFor(async () => Number(await stack.redis.hget(job, 'attemptsMade')) >= 2, 10000, 50);
      expect(await stack.redis.hget(job, 'failedReason')).toMatch(/message is full/);
      const waiting = await waitForActivity(stack, conversationId, () => true);
      expect([waiting.state, waiting.agent_id]).toEqual(['waiting', null]);
    } finally {
      await takeInserts('message');
    }
    await waitForActivity(stack, conversationId, (a) => a.state === 'assigned', 20000);
    const ledger = await assignmentLedger(stack);
    expect(ledger.byState).toEqual({ assigned: ledger.activities });
    expect(ledger.duplicateAssigned).toEqual([]);
    expect(ledger.counterMismatch).toEqual([]);
  });
});
