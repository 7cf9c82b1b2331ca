import { customerWithEmail, lastModified, login, start, startDocument, uniqueEmail } from './support/client';
import { Stack, waitFor } from './support/stack';
import { QueryFailedError } from 'typeorm';
import { preparedQuery } from '../src/platform/database/prepared-query';
import { isDuplicateKey } from '../src/platform/database/transaction-retry';

/**
 * The statements of a start and of its assignment run as server-side prepared statements
 * (src/platform/database/prepared-query.ts): counted by MariaDB's Com_stmt_execute, which
 * text-protocol statements never move.
 */
describe('database: the hot path runs prepared statements', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start();
  });
  afterAll(async () => stack?.stop());

  const executed = async () => Number((await stack.db.query("SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'"))[0].Value);

  it('executes the start and its assignment prepared, with the rows a text-protocol start writes', async () => {
    const token = await login(stack);
    const lm = await lastModified(stack, token);
    const email = uniqueEmail('prepared');
    const before = await executed();
    const res = await start(stack, startDocument(lm, { customer: customerWithEmail(email) }), { token, query: 'searchContactOnAttribute=email.emailAddress' });
    expect(res.status).toBe(200);
    const conversationId: string = res.body.conversation.id;
    const [assigned] = await waitFor(async () => {
      const rows = await stack.db.query("SELECT a.agent_id, m.type FROM activity a JOIN message m ON m.conversation_id = a.conversation_id WHERE a.conversation_id = ? AND a.state = 'assigned'", [conversationId]);
      return rows.length > 0 && rows;
    });
    expect(assigned.type).toBe('assigned');
    // Start: lookup, customer, case, activity, conversation, outbox. Assignment: lock, candidates,
    // probe, slot, activity, message. Other sessions can only add to the global counter.
    expect((await executed()) - before).toBeGreaterThanOrEqual(12);

    const [customer] = await stack.db.query(
      'SELECT c.id, cp.value FROM customer c JOIN contact_point cp ON cp.customer_id = c.id JOIN activity a ON a.customer_id = c.id WHERE a.conversation_id = ?',
      [conversationId],
    );
    expect(customer.value).toBe(email);
  });

  it('reads rows of the same shape as the text protocol, binds undefined as NULL, and fails as TypeORM does', async () => {
    const sql = 'SELECT a.id, a.conversation_id, a.state, a.typing_notifications, a.created_at, c.correlation_id FROM activity a JOIN conversation c ON c.id = a.conversation_id ORDER BY a.id LIMIT ?';
    await stack.db.transaction(async (tx) => {
      const prepared = await preparedQuery(tx, sql.replace('?', '5'));
      expect(prepared).toEqual(await tx.query(sql, [5]));
      expect(prepared).not.toHaveLength(0);
      expect(await preparedQuery(tx, 'SELECT ? IS NULL AS absent', [undefined])).toEqual([{ absent: 1 }]);

      await tx.query('CREATE TEMPORARY TABLE prepared_probe (id INT PRIMARY KEY)');
      await preparedQuery(tx, 'INSERT INTO prepared_probe (id) VALUES (?)', [1]);
      const failure = await preparedQuery(tx, 'INSERT INTO prepared_probe (id) VALUES (?)', [1]).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(QueryFailedError);
      expect(isDuplicateKey(failure)).toBe(true);
    });
  });
});
