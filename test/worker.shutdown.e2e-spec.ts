import { connect, type Socket } from 'node:net';
import { http } from './support/client';
import { freePort } from './support/operations';
import { Stack } from './support/stack';

/** SIGTERM to a worker whose health port has a connection open: the port does not hold the stop up. */
describe('graceful shutdown of a worker with its health port', () => {
  let stack: Stack;
  let healthPort: number;

  beforeAll(async () => {
    healthPort = await freePort();
    // The worker's own health port and signal alone: no api.
    stack = await Stack.start({ api: false, env: { WORKER_HEALTH_PORT: String(healthPort) } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('exits 0 at once although a connection has sent part of a request', async () => {
    // Readiness has opened the checks' own database connection, which closes with the worker.
    expect((await http(`http://127.0.0.1:${healthPort}/health/ready`)).status).toBe(200);
    const partial: Socket = connect(healthPort, '127.0.0.1');
    partial.on('error', () => undefined);
    await new Promise((r) => partial.once('connect', r));
    partial.write('GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await new Promise((r) => setTimeout(r, 300));
    const worker = stack.workers[0];
    const sentAt = Date.now();
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      worker.child.once('exit', (code, signal) => resolve({ code, signal }));
      worker.child.kill('SIGTERM');
    });
    const exitMs = Date.now() - sentAt;
    partial.destroy();
    // Without a bound the worker waited for the client until its 25 s watchdog exited 1.
    expect(exit).toEqual({ code: 0, signal: null });
    expect(exitMs).toBeLessThan(5000);
  }, 40000);
});
