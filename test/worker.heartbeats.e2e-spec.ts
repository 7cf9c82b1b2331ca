import { createServer } from 'node:net';
import { http } from './support/client';
import { freePort, getOnNewConnection, sample } from './support/operations';
import { Stack, stopProcess, waitFor, type RunningProcess } from './support/stack';

/**
 * Workers side by side, each with its own health port: every one counts the live workers
 * from the shared heartbeats; a worker stopped with SIGTERM leaves the count at once (its row
 * is deleted before it exits), a killed one when its heartbeat is older than the TTL.
 */
describe('heartbeats of several workers', () => {
  let stack: Stack;
  const ports = new Map<RunningProcess, number>();

  beforeAll(async () => {
    stack = await Stack.start({ workers: 0, env: { WORKER_HEARTBEAT_TTL_MS: '3000' } });
  }, 90000);

  afterAll(async () => {
    await stack?.stop();
  });

  async function startWorker(): Promise<RunningProcess> {
    const port = await freePort();
    const worker = await stack.startWorker({ WORKER_HEALTH_PORT: String(port) });
    ports.set(worker, port);
    await waitFor(() => http(`http://127.0.0.1:${port}/health/live`).then((r) => r.status === 200, () => false));
    return worker;
  }

  async function liveWorkers(worker: RunningProcess): Promise<number | undefined> {
    const res = await getOnNewConnection(`http://127.0.0.1:${ports.get(worker)}/metrics`);
    expect(res.status).toBe(200);
    return sample(res.text, 'assignment_workers_live');
  }

  const heartbeatRows = async (pid: number | undefined) => Number((await stack.db.query('SELECT COUNT(*) AS n FROM worker_heartbeat WHERE pid = ?', [pid]))[0].n);

  it('counts two live workers from either one; a stopped one at once, a killed one after the TTL', async () => {
    const a = await startWorker();
    const b = await startWorker();
    expect(await liveWorkers(a)).toBe(2);
    expect(await liveWorkers(b)).toBe(2);
    expect((await http(`${stack.baseUrl}/health/ready`)).body.details.assignmentWorkers).toEqual({ status: 'up', live: 2 });

    await stopProcess(b, 'SIGTERM');
    expect(b.child.exitCode).toBe(0);
    expect(await heartbeatRows(b.child.pid)).toBe(0);
    expect(await liveWorkers(a)).toBe(1);

    const c = await startWorker();
    expect(await liveWorkers(c)).toBe(2);
    await stopProcess(c, 'SIGKILL');
    // Its row stays, as nothing could delete it, and stops counting once older than the TTL.
    expect(await heartbeatRows(c.child.pid)).toBe(1);
    await waitFor(async () => (await liveWorkers(a)) === 1, 10000);
    expect((await http(`${stack.baseUrl}/health/ready`)).body.details.assignmentWorkers).toEqual({ status: 'up', live: 1 });
    expect((await http(`http://127.0.0.1:${ports.get(a)}/health/ready`)).status).toBe(200);
  }, 60000);

  it('counts no worker that failed to start: its heartbeat row goes with it', async () => {
    // The health port taken: the worker fails after its heartbeat and its processors have started.
    const taken = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => taken.listen(port, '0.0.0.0', () => resolve()));
    try {
      const worker = stack.spawn('dist/src/worker.js', { WORKER_HEALTH_PORT: String(port) });
      const code = await new Promise<number | null>((resolve) => worker.child.once('exit', (c) => resolve(c)));
      expect(code).toBe(1);
      expect(worker.output.at(-1)).toContain('worker failed to start');
      expect(worker.output.join('\n')).toContain('EADDRINUSE');
      expect(await heartbeatRows(worker.child.pid)).toBe(0);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 60000);
});
