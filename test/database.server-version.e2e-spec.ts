import { createConnection } from 'mysql2/promise';
import { PrivateMariaDb } from './support/private-services';
import { runToExit } from './support/run-to-exit';

const DB_NAME = 'server_version';

/** A process that went on starting would never exit by itself: killed after 30 s. */
function run(script: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return runToExit(script, { LOG_LEVEL: 'info', ...env }, { killAfterMs: 30000 });
}

const lines = (output: string) => output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

/** A real MariaDB told to report another version (`--version=`): what the processes read with SELECT VERSION(). */
async function serverReporting(version: string): Promise<{ server: PrivateMariaDb; env: Record<string, string>; tables: () => Promise<string[]> }> {
  const server = new PrivateMariaDb([`--version=${version}`]);
  await server.start();
  const admin = await createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const tables = async () => {
    const c = await createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
    const [rows] = await c.query<import('mysql2').RowDataPacket[]>('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ?', [DB_NAME]);
    await c.end();
    return rows.map((r) => String(r.t));
  };
  return { server, env: { DB_PORT: String(server.port), DB_NAME, REDIS_PREFIX: `srv_version_${process.pid}` }, tables };
}

describe('start-up on a database server below the minimum (MariaDB 10.5)', () => {
  let db: Awaited<ReturnType<typeof serverReporting>>;

  beforeAll(async () => {
    db = await serverReporting('10.5.27-MariaDB-log');
  }, 60_000);

  afterAll(async () => {
    await db?.server.destroy();
  });

  it.each([
    ['api', 'dist/src/main.js', 'api failed to start'],
    ['worker', 'dist/src/worker.js', 'worker failed to start'],
    ['migrate.js', 'dist/src/cli/migrate.js', 'migration failed'],
  ])('%s exits 1 at start-up with one fatal line naming the version found and the minimum', async (_, script, msg) => {
    const { code, output } = await run(script, db.env);
    expect(code).toBe(1);
    const fatal = lines(output).filter((l) => l.level === 'fatal');
    expect(fatal).toEqual([expect.objectContaining({ msg, server: 'database', found: '10.5.27-MariaDB-log', minimum: 'MariaDB 10.6' })]);
    expect(fatal[0].err).toBe('database server 10.5.27-MariaDB-log is below the minimum MariaDB 10.6: FOR UPDATE SKIP LOCKED is missing');
    expect(output).not.toMatch(/api listening|worker started|migrations done/);
  });

  it('leaves the database untouched: no migration ran', async () => {
    expect(await db.tables()).toEqual([]);
  });
});

describe('start-up on a server that reports MySQL 8', () => {
  let db: Awaited<ReturnType<typeof serverReporting>>;

  beforeAll(async () => {
    db = await serverReporting('8.0.36');
  }, 60_000);

  afterAll(async () => {
    await db?.server.destroy();
  });

  it('migrates, with a warning line saying MySQL is untested', async () => {
    const { code, output } = await run('dist/src/cli/migrate.js', db.env);
    expect(code).toBe(0);
    const warnings = lines(output).filter((l) => l.level === 'warn');
    expect(warnings).toEqual([expect.objectContaining({ server: 'database', found: '8.0.36', minimum: 'MariaDB 10.6', reason: expect.stringContaining('MySQL is untested') })]);
    expect(output).toContain('migrations done');
  });
});
