import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { customerWithEmail, lastModified, login, start, startDocument, uniqueEmail } from './support/client';
import { waitForActivity } from './support/assignment';
import { Stack } from './support/stack';
import { validateEnv } from '../src/platform/config/app-config';
import { dataSourceOptions } from '../src/platform/database/data-source-options';

/**
 * DB_SOCKET_PATH: the api, the worker and the migrations reach a database on the same host
 * through its Unix socket. DB_HOST names a host that does not exist, so nothing can have
 * gone over TCP.
 */
describe('database: DB_SOCKET_PATH', () => {
  let stack: Stack;
  let socket: string;

  beforeAll(async () => {
    const probe = await new DataSource({ ...dataSourceOptions(validateEnv(process.env), { poolSize: 1 }), database: undefined } as never).initialize();
    [{ socket }] = await probe.query('SELECT @@socket AS socket');
    await probe.destroy();
    stack = await Stack.start({ env: { DB_SOCKET_PATH: socket, DB_HOST: 'no-such-database-host.invalid' } });
  });
  afterAll(async () => stack?.stop());

  it('starts a conversation and assigns it with every connection on the socket', async () => {
    const token = await login(stack);
    const lm = await lastModified(stack, token);
    const res = await start(stack, startDocument(lm, { customer: customerWithEmail(uniqueEmail('socket')) }), { token, query: 'searchContactOnAttribute=email.emailAddress' });
    expect(res.status).toBe(200);
    const activity = await waitForActivity(stack, res.body.conversation.id, (a) => a.state === 'assigned');
    expect(activity.agent_id).not.toBeNull();

    // A socket connection's host is 'localhost'; one over TCP carries its client port ('host:port').
    const hosts: { host: string }[] = await stack.db.query('SELECT HOST AS host FROM information_schema.PROCESSLIST WHERE DB = ?', [stack.name]);
    expect(hosts.length).toBeGreaterThan(2); // the test's own pool, the api's and the worker's
    expect(hosts.filter((h) => h.host.includes(':'))).toEqual([]);
  });

  it("creates npm start's database through the socket too", async () => {
    const name = `${stack.name}_created`;
    const env = { ...process.env, DB_NAME: name, DB_SOCKET_PATH: socket, DB_HOST: 'no-such-database-host.invalid' };
    try {
      await promisify(execFile)(process.execPath, [join(__dirname, '..', 'scripts', 'create-database.js')], { env, timeout: 20_000 });
      const found: unknown[] = await stack.db.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name]);
      expect(found).toHaveLength(1);
    } finally {
      await stack.db.query(`DROP DATABASE IF EXISTS \`${name}\``);
    }
  });
});
