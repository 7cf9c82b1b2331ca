import { http } from '../support/client';
import { PrivateMariaDb } from '../support/private-services';
import { Stack, waitFor } from '../support/stack';

/**
 * Readiness while MySQL is down: the answer says why in a word and names neither the host nor
 * the port of the database, which only the log gives, at warn, once however often it is probed.
 */
describe('readiness while MySQL is down', () => {
  const mariadb = new PrivateMariaDb();
  let stack: Stack;

  beforeAll(async () => {
    await mariadb.start();
    stack = await Stack.start({ env: { DB_PORT: String(mariadb.port), DB_CONNECT_TIMEOUT_MS: '2000' } });
  }, 120000);

  afterAll(async () => {
    await stack?.stop().catch(() => undefined);
    await mariadb.destroy();
  });

  it('answers 503 with a reason and no address, and logs the driver message once', async () => {
    const ready = () => http(`${stack.baseUrl}/health/ready`);
    expect((await ready()).status).toBe(200);
    await mariadb.kill('SIGKILL');

    const answers: Awaited<ReturnType<typeof ready>>[] = [];
    await waitFor(async () => {
      const res = await ready();
      answers.push(res);
      return res.body?.error?.mysql?.message === 'refused';
    }, 15000, 200);
    for (const res of answers) {
      expect(res.status).toBe(503);
      expect(res.body.error.mysql).toEqual({ status: 'down', message: expect.stringMatching(/^(timeout|refused|unreachable|connection lost)$/) });
      expect(res.text).not.toContain(String(mariadb.port));
    }
    // Probed again and again, the same failure is logged once, with what the driver said.
    for (let i = 0; i < 3; i++) expect((await ready()).body.error.mysql.message).toBe('refused');
    const refusals = stack.api.output.filter((l) => l.includes('health check failed') && l.includes('"check":"mysql"') && l.includes('ECONNREFUSED'));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toContain(String(mariadb.port));
    expect(JSON.parse(refusals[0]).level).toBe(40);

    await mariadb.start();
    await waitFor(async () => (await ready()).status === 200, 60000, 500);
  });
});
