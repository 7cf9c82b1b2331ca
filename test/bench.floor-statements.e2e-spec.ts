import type { QueryRunner } from 'typeorm';
import { ACK_FLUSH_MS } from '../src/platform/outbox/mysql-outbox';
import { dataSourceOptions } from '../src/platform/database/data-source-options';
import { validateEnv } from '../src/platform/config/app-config';
import { customerWithEmail, lastModified, login, start, startDocument, uniqueEmail } from './support/client';
import { PrivateMariaDb } from './support/private-services';
import { Stack, waitFor } from './support/stack';

interface Statement {
  protocol: 'query' | 'execute';
  sql: string;
}

interface FloorPool {
  getConnection(): Promise<{ release(): void; config: { trace?: boolean }; query(sql: string, callback: (err: Error | null, rows: unknown) => void): void }>;
  marks: unknown;
  end(): Promise<void>;
}

/** bench/lib/floor.js, plain JavaScript run by `npm run bench`. */
const floor = require('../bench/lib/floor') as {
  START_STATEMENTS: Statement[];
  RELAYED_MARK_FLUSH_MS: number;
  openPool(options: { config: Record<string, unknown>; database: string; poolSize: number }): Promise<FloorPool>;
  oneStart(conn: unknown, email: string, clientApplicationId: string, marks: unknown): Promise<{ activityId: string }>;
};

/** A value as the general log shows it in place of a `?`: bound (Execute) or formatted by mysql2 (Query). */
const LITERAL = String.raw`(?:NULL|TIMESTAMP'[^']*'|'(?:[^'\\]|\\.|'')*'|-?\d+(?:\.\d+)?)`;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pattern = (sql: string) => new RegExp(`^${sql.split('?').map(escape).join(LITERAL)}$`);

/**
 * The floor's bench measures the api against the statements one identified start sends
 * (bench/lib/floor.js). Its copies of the repositories' SQL drift silently when the start
 * changes; this captures, in the general log of a MariaDB of its own, what the built api sends
 * for one start with a new customer and what the floor sends, and holds both to the floor's
 * list: same statements, same order, same protocol (prepared or text).
 */
describe('bench: the floor sends the statements of one identified start', () => {
  const mariadb = new PrivateMariaDb(['--log-output=TABLE']);
  let stack: Stack;
  let probe: QueryRunner;
  let probeThread: string;

  beforeAll(async () => {
    await mariadb.start();
    // The api's cached reads (session, configuration, availability, live workers) stay cached
    // through the test: one per cache lifetime, they are no part of a start's statements.
    const cached = '600000';
    stack = await Stack.start({
      env: {
        DB_PORT: String(mariadb.port),
        SESSION_CACHE_TTL_MS: cached,
        CONFIG_CACHE_TTL_MS: cached,
        AVAILABILITY_CACHE_TTL_MS: cached,
        // The worker is paused while the api's start is captured, as in the bench's starts-only runs.
        WORKER_HEARTBEAT_TTL_MS: cached,
      },
    });
    probe = stack.db.createQueryRunner();
    probeThread = String((await probe.query('SELECT CONNECTION_ID() AS id'))[0].id);
  }, 120000);

  afterAll(async () => {
    await probe?.release();
    await stack?.stop().catch(() => undefined);
    await mariadb.destroy();
  });

  /**
   * Every Query and Execute the server received from other connections than the probe's while
   * `action` ran, the worker paused (as in the bench's starts-only runs) so that only the api's
   * or the floor's statements reach it.
   */
  async function captured(action: () => Promise<void>): Promise<{ protocol: string; sql: string }[]> {
    const worker = stack.workers[0].child;
    await probe.query('TRUNCATE TABLE mysql.general_log');
    worker.kill('SIGSTOP');
    try {
      await probe.query('SET GLOBAL general_log = 1');
      await action();
    } finally {
      await probe.query('SET GLOBAL general_log = 0');
      worker.kill('SIGCONT');
    }
    const rows: { thread_id: string; command_type: string; argument: string }[] = await probe.query(
      "SELECT thread_id, command_type, CONVERT(argument USING utf8mb4) AS argument FROM mysql.general_log WHERE command_type IN ('Query', 'Execute')",
    );
    return rows.filter((r) => String(r.thread_id) !== probeThread).map((r) => ({ protocol: r.command_type.toLowerCase(), sql: r.argument }));
  }

  /** A captured statement as the floor's list writes it when one of its entries matches, else as sent. */
  const asListed = (s: { protocol: string; sql: string }) => {
    const listed = floor.START_STATEMENTS.find((l) => l.protocol === s.protocol && pattern(l.sql).test(s.sql));
    return `${s.protocol}: ${listed ? listed.sql : s.sql}`;
  };
  const expected = () => floor.START_STATEMENTS.map((l) => `${l.protocol}: ${l.sql}`);

  it('the api sends the floor\'s statements for a start with a new customer', async () => {
    const token = await login(stack);
    const lm = await lastModified(stack, token);
    const identified = () => start(stack, startDocument(lm, { customer: customerWithEmail(uniqueEmail('floor')) }), { token, query: 'searchContactOnAttribute=email.emailAddress' });
    // The first start fills the api's caches.
    expect((await identified()).status).toBe(200);
    await waitFor(async () => (await probe.query('SELECT 1 FROM outbox WHERE relayed_at IS NULL')).length === 0);

    const statements = await captured(async () => {
      const res = await identified();
      expect(res.status).toBe(200);
      // The relayed mark follows the commit, batched with the marks of other starts.
      await waitFor(async () => (await probe.query(
        'SELECT 1 FROM outbox WHERE job_id = ? AND relayed_at IS NOT NULL', [`assign:${res.body.conversation.activity.id}`],
      )).length > 0);
    });
    expect(statements.map(asListed)).toEqual(expected());
  });

  it('the floor gathers its relayed marks as long as the api does', () => {
    expect(floor.RELAYED_MARK_FLUSH_MS).toBe(ACK_FLUSH_MS);
  });

  it('the floor\'s connections are set up as the api\'s: no stack trace per query, the session in UTC', async () => {
    const pool = await floor.openPool({
      config: { DB_HOST: '127.0.0.1', DB_PORT: mariadb.port, DB_USER: 'root', DB_PASSWORD: '' },
      database: stack.name,
      poolSize: 1,
    });
    const conn = await pool.getConnection();
    try {
      const api = dataSourceOptions(validateEnv({ ...process.env, ...stack.env })) as { extra: { trace: boolean } };
      expect(conn.config.trace).toBe(api.extra.trace);
      const [zone] = await new Promise<{ tz: string }[]>((resolve, reject) => conn.query('SELECT @@session.time_zone AS tz', (err, rows) => (err ? reject(err) : resolve(rows as { tz: string }[]))));
      expect(zone.tz).toBe('+00:00');
    } finally {
      conn.release();
      await pool.end();
    }
  });

  it('the floor sends them as listed', async () => {
    const pool = await floor.openPool({
      config: { DB_HOST: '127.0.0.1', DB_PORT: mariadb.port, DB_USER: 'root', DB_PASSWORD: '' },
      database: stack.name,
      poolSize: 1,
    });
    const statements = await captured(async () => {
      const conn = await pool.getConnection();
      try {
        await floor.oneStart(conn, uniqueEmail('floor'), '1', pool.marks);
      } finally {
        conn.release();
      }
      await pool.end();
    });
    expect(statements.map(asListed)).toEqual(expected());
  });
});
