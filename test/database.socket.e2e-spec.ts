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

  beforeAll(async () => {
    const probe = await new DataSource({ ...dataSourceOptions(validateEnv(process.env), { poolSize: 1 }), database: undefined } as never).initialize();
    const [{ socket }] = await probe.query('SELECT @@socket AS socket');
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
});
