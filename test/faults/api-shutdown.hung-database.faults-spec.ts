import { clientOf, http, start, startDocument } from '../support/client';
import { PrivateMariaDb } from '../support/private-services';
import { CLOSE_TIMEOUT_MS } from '../../src/platform/runtime/close-on-signals';
import { Stack } from '../support/stack';

/**
 * SIGTERM to the api while its database hangs (SIGSTOP: connections stay open, nothing
 * answers): after readiness probes opened their own connection the api still stops at once, and
 * with a request's query still waiting it stops within CLOSE_TIMEOUT_MS.
 */
describe('graceful shutdown of the api while MySQL hangs', () => {
  const mariadb = new PrivateMariaDb();
  let stack: Stack;

  beforeAll(async () => {
    await mariadb.start();
    stack = await Stack.start({ env: { DB_PORT: String(mariadb.port), DB_CONNECT_TIMEOUT_MS: '2000', REQUEST_TIMEOUT_MS: '1000' } });
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

  it('with a query of a request answered 503 still waiting, exits 1 after CLOSE_TIMEOUT_MS instead of never', async () => {
    mariadb.resume();
    const api = await stack.startApi();
    const { token, lm } = await clientOf(stack);
    mariadb.pause();
    expect((await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' })).status).toBe(503);
    const sentAt = Date.now();
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      api.child.once('exit', (code, signal) => resolve({ code, signal }));
      api.child.kill('SIGTERM');
    });
    expect(exit).toEqual({ code: 1, signal: null });
    expect(Date.now() - sentAt).toBeLessThan(CLOSE_TIMEOUT_MS + 5000);
    expect(api.output.some((line) => /graceful shutdown took too long/.test(line))).toBe(true);
  }, 60000);
});
