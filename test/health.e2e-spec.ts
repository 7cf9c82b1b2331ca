import { http } from './support/client';
import { freePort } from './support/operations';
import { PrivateRedis } from './support/private-services';
import { Stack, stopProcess, waitFor } from './support/stack';

/**
 * Liveness and readiness of the api (MySQL, Redis, a live assignment worker) and of the
 * worker on its health port (MySQL, Redis, its own heartbeat), against real processes.
 * Redis is a private instance here, so the test can take it down.
 */
describe('health and readiness', () => {
  let stack: Stack;
  let redis: PrivateRedis;
  let workerPort: number;

  beforeAll(async () => {
    redis = new PrivateRedis();
    await redis.start();
    workerPort = await freePort();
    stack = await Stack.start({ env: { REDIS_PORT: String(redis.port), WORKER_HEALTH_PORT: String(workerPort) } });
  });

  afterAll(async () => {
    await redis?.start();
    await stack?.stop();
    await redis?.destroy();
  });

  const ready = () => http(`${stack.baseUrl}/health/ready`);
  const workerUrl = (path: string) => `http://127.0.0.1:${workerPort}${path}`;

  it('api: live and ready, each dependency up', async () => {
    const live = await http(`${stack.baseUrl}/health/live`);
    expect(live.status).toBe(200);
    expect(live.body.status).toBe('ok');
    const res = await ready();
    expect(res.status).toBe(200);
    expect(res.body.details).toEqual({
      mysql: { status: 'up' },
      redis: { status: 'up' },
      assignmentWorkers: { status: 'up', live: 1 },
    });
  });

  it('worker: live and ready on its health port, with its own heartbeat; it serves nothing of the API', async () => {
    expect((await http(workerUrl('/health/live'))).status).toBe(200);
    const res = await http(workerUrl('/health/ready'));
    expect(res.status).toBe(200);
    expect(res.body.details.heartbeat.status).toBe('up');
    expect(res.body.details.mysql.status).toBe('up');
    expect(res.body.details.redis.status).toBe('up');
    expect((await http(workerUrl('/system/ws/v19/clientapplications/messaging/configuration?entrypoint=1001'))).status).toBe(404);
    expect((await http(workerUrl('/system/docs-json'))).status).toBe(404);
  });

  it('api and worker: not ready (503) while Redis is down, ready again when it is back', async () => {
    await redis.kill();
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('error');
    // A reason from a short list, not the client's message; the message goes to the log.
    expect(down.body.error.redis).toEqual({ status: 'down', message: expect.stringMatching(/^(timeout|refused|connection lost)$/) });
    expect(down.text).not.toContain(String(redis.port));
    await waitFor(async () => stack.api.output.some((l) => l.includes('health check failed') && l.includes('"check":"redis"')), 5000);
    expect(down.body.info.mysql.status).toBe('up');
    expect((await http(`${stack.baseUrl}/health/live`)).status).toBe(200);
    const worker = await http(workerUrl('/health/ready'));
    expect(worker.status).toBe(503);
    expect(worker.body.error.redis.status).toBe('down');
    await redis.start();
    await waitFor(async () => (await ready()).status === 200, 15000, 200);
  });

  it('worker: not ready (503) while its own heartbeat is older than WORKER_HEARTBEAT_TTL_MS, ready again once it writes one', async () => {
    // The worker writes its heartbeat every 2 s: age it and probe at once, again until a probe falls between two writes.
    const stale = await waitFor(async () => {
      await stack.db.query('UPDATE worker_heartbeat SET seen_at = NOW(3) - INTERVAL 1 MINUTE');
      const res = await http(workerUrl('/health/ready'));
      return res.status === 503 ? res : undefined;
    }, 5000, 0);
    expect(stale.body.error.heartbeat).toEqual({ status: 'down', message: expect.stringMatching(/^last heartbeat \d+ ms ago \(TTL \d+ ms\)$/) });
    expect(stale.body.info.mysql.status).toBe('up');
    await waitFor(async () => (await http(workerUrl('/health/ready'))).status === 200, 10000, 200);
  });

  it('api: not ready (503) when no assignment worker is alive, ready again when one starts', async () => {
    await stopProcess(stack.workers[0], 'SIGTERM');
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body.error.assignmentWorkers).toEqual({ status: 'down', message: expect.stringContaining('no assignment worker') });
    expect(down.body.info.mysql.status).toBe('up');
    await stack.startWorker({ WORKER_HEALTH_PORT: '' });
    expect((await ready()).status).toBe(200);
  });

  it('api: not ready when the only heartbeat is older than WORKER_HEARTBEAT_TTL_MS (a worker that died without cleaning up)', async () => {
    await stopProcess(stack.workers[1], 'SIGKILL');
    await stack.db.query('UPDATE worker_heartbeat SET seen_at = NOW(3) - INTERVAL 1 HOUR');
    expect((await ready()).status).toBe(503);
  });
});
