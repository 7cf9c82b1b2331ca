import { http } from '../support/client';
import { PrivateMariaDb } from '../support/private-services';
import { Stack } from '../support/stack';

/**
 * SIGTERM to the api while its database hangs (SIGSTOP: connections stay open, nothing
 * answers), after readiness probes opened their own connection: the api still stops at once.
 */
describe('graceful shutdown of the api while MySQL hangs', () => {
  const mariadb = new PrivateMariaDb();
  let stack: Stack;

  beforeAll(async () => {
    await mariadb.start();
    stack = await Stack.start({ env: { DB_PORT: String(mariadb.port), DB_CONNECT_TIMEOUT_MS: '2000' } });
  }, 120000);

  afterAll(async () => {
    mariadb.resume();
    await stack?.stop().catch(() => undefined);
    await mariadb.destroy();
  });

  it('exits 0 within seconds', async () => {
    expect((await http(`${stack.baseUrl}/health/ready`)).status).toBe(200);
    mariadb.pause();
    // A probe during the hang leaves a query waiting on the checks' connection.
    expect((await http(`${stack.baseUrl}/health/ready`)).status).toBe(503);
    const sentAt = Date.now();
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      stack.api.child.once('exit', (code, signal) => resolve({ code, signal }));
      stack.api.child.kill('SIGTERM');
    });
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - sentAt).toBeLessThan(5000);
  }, 60000);
});
