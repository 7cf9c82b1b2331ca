import { agentCall, agentLogin, waitForActivity } from './support/assignment';
import { clientOf, lastModified, login, start, startDocument } from './support/client';
import { freePort, getOnNewConnection, sample } from './support/operations';
import { OLDEST_UNRELAYED } from '../src/platform/metrics/scrape-metrics';
import { Stack, waitFor } from './support/stack';

const START_ROUTE = '/system/ws/v19/clientapplications/messaging/conversation/start';

/**
 * Prometheus metrics of a two-process api (API_PROCESSES=2, so every scrape must show the
 * whole cluster) and of a worker on its health port, after real traffic.
 */
describe('metrics', () => {
  let stack: Stack;
  let workerPort: number;

  beforeAll(async () => {
    workerPort = await freePort();
    // At info, the default, pino-http's request middleware is mounted too, as a route of every
    // method under the context path: what a request no endpoint took still carries in req.route.
    stack = await Stack.start({ env: { API_PROCESSES: '2', WORKER_HEALTH_PORT: String(workerPort), LOG_LEVEL: 'info' } });
    const token = await login(stack);
    const res = await start(stack, startDocument(await lastModified(stack, token)), { token, query: 'anonymousCustomer=yes' });
    expect(res.status).toBe(200);
    await waitFor(async () => (await stack.db.query("SELECT 1 FROM activity WHERE state = 'assigned'")).length === 1);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const scrapeApi = async () => {
    const res = await getOnNewConnection(`${stack.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    return res.text;
  };

  it('counts and times HTTP requests by route template and status, summed over every api process', async () => {
    for (let i = 0; i < 6; i++) expect((await getOnNewConnection(`${stack.baseUrl}/health/live`)).status).toBe(200);
    expect((await getOnNewConnection(`${stack.contextUrl}/no/such/route/42`)).status).toBe(404);
    // Several scrapes, landing on either process: each one reports the cluster's totals.
    for (let i = 0; i < 3; i++) {
      const text = await scrapeApi();
      expect(sample(text, 'http_requests_total', { method: 'GET', route: '/health/live', status: '200' })).toBe(6);
      expect(sample(text, 'http_requests_total', { method: 'POST', route: START_ROUTE, status: '200' })).toBe(1);
      expect(sample(text, 'http_request_duration_seconds_count', { method: 'POST', route: START_ROUTE, status: '200' })).toBe(1);
      expect(sample(text, 'http_request_duration_seconds_bucket', { method: 'POST', route: START_ROUTE, status: '200', le: '+Inf' })).toBe(1);
      expect(sample(text, 'http_requests_total', { method: 'GET', route: '(unmatched)', status: '404' })).toBeGreaterThanOrEqual(1);
    }
  });

  it('labels requests no endpoint took under the context path "(unmatched)" or "(middleware)", never by the route of Nest\'s middleware', async () => {
    expect((await getOnNewConnection(`${stack.contextUrl}/no/such/route/42`)).status).toBe(404);
    expect((await getOnNewConnection(`${stack.contextUrl}/ws/v19/agent/chats`, { Accept: 'text/html' })).status).toBe(406);
    const text = await scrapeApi();
    const routes = [...text.matchAll(/^http_requests_total\{.*route="([^"]*)"/gm)].map((m) => m[1]);
    expect(routes.filter((r) => r.includes('*'))).toEqual([]);
    expect(sample(text, 'http_requests_total', { method: 'GET', route: '(middleware)', status: '406' })).toBe(1);
  });

  it('answers a scraper that asks for the Prometheus or OpenMetrics text by name', async () => {
    const accepts = [
      'text/plain;version=0.0.4',
      'text/plain',
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
    ];
    for (const accept of accepts) {
      const res = await getOnNewConnection(`${stack.baseUrl}/metrics`, { Accept: accept });
      expect([res.status, res.contentType]).toEqual([200, expect.stringContaining('text/plain')]);
      expect(sample(res.text, 'assignment_workers_live')).toBe(1);
    }
  });

  it('reports queue depth per queue and state, live workers and the outbox backlog, read at scrape time', async () => {
    // A row dated in the future is never relayed during this test: a backlog of exactly one.
    await stack.db.query(
      "INSERT INTO outbox (topic, job_id, payload, created_at) VALUES ('assignment/assign-activity', 'assign:0', '{}', NOW(3) + INTERVAL 1 HOUR)",
    );
    const text = await waitFor(async () => {
      const t = await scrapeApi();
      return sample(t, 'outbox_backlog') === 1 ? t : undefined;
    });
    for (const queue of ['assignment', 'webhook']) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) expect(sample(text, 'queue_jobs', { queue, state })).toBeGreaterThanOrEqual(0);
    }
    expect(sample(text, 'assignment_workers_live')).toBe(1);
    expect(sample(text, 'outbox_oldest_unrelayed_age_seconds')).toBe(0);
    expect(sample(text, 'webhook_delivery_failures_total')).toBeUndefined();
  });

  it('gives each of several scrapes at once every queue\'s depth', async () => {
    // Scrapes that overlap (two Prometheus servers) read the queues each for itself: one that
    // began while another's queues were answering must not take their samples away from it.
    // The worker's, the cheaper to scrape: the api's reads are the same (scrape-metrics spec).
    for (let round = 0; round < 5; round++) {
      const scrapes = await Promise.all(Array.from({ length: 40 }, () => getOnNewConnection(`http://127.0.0.1:${workerPort}/metrics`)));
      const depths = scrapes.map((s) => s.text.split('\n').filter((l) => l.startsWith('queue_jobs{')).length);
      expect(depths).toEqual(scrapes.map(() => 10));
    }
  });

  it('each process shows only what it records: no worker series on the api, no HTTP series on the worker', async () => {
    const api = await scrapeApi();
    for (const name of ['queue_job_latency_seconds', 'queue_job_processing_seconds', 'assignment_latency_seconds', 'assignment_batch_size', 'webhook_delivery_failures_total']) {
      expect(api).not.toContain(`# TYPE ${name} `);
    }
    expect(api).toContain('# TYPE http_requests_total counter');
    const worker = (await getOnNewConnection(`http://127.0.0.1:${workerPort}/metrics`)).text;
    expect(worker).not.toContain('# TYPE http_requests_total ');
    expect(worker).not.toContain('# TYPE http_request_duration_seconds ');
    expect(worker).toContain('# TYPE assignment_latency_seconds histogram');
    expect(worker).toContain('# TYPE webhook_delivery_failures_total counter');
  });

  it('has the shared gauges read by the api process that answers a scrape alone, not by every process', async () => {
    const unavailable = () => stack.api.output.filter((l) => l.includes('metric source unavailable during scrape') && l.includes('"source":"outbox"'));
    const before = unavailable().length;
    // The outbox read fails for a moment, and each process that reads it logs so, with its pid.
    await stack.db.query('RENAME TABLE outbox TO outbox_aside');
    try {
      for (let i = 0; i < 4; i++) {
        const text = await scrapeApi();
        expect(sample(text, 'http_requests_total', { method: 'POST', route: START_ROUTE, status: '200' })).toBe(1);
        // Left out, not 0: a failed read says nothing of the backlog (the heartbeat read still answers).
        expect([sample(text, 'outbox_backlog'), sample(text, 'outbox_oldest_unrelayed_age_seconds'), sample(text, 'assignment_workers_live')]).toEqual([undefined, undefined, 1]);
        await waitFor(async () => unavailable().length === before + i + 1, 5000);
      }
    } finally {
      await stack.db.query('RENAME TABLE outbox_aside TO outbox');
    }
    // None from another process, however long its line may take.
    await new Promise((r) => setTimeout(r, 500));
    expect(unavailable()).toHaveLength(before + 4);
    // Read again once the table is back, by whichever process answers.
    const text = await scrapeApi();
    expect(sample(text, 'outbox_backlog')).toEqual(expect.any(Number));
    expect(sample(text, 'assignment_workers_live')).toBe(1);
  });

  it('worker: job latency per queue, assignment latency and batch size on its health port', async () => {
    // The worker observes a job when Bull reports it completed, after the assignment committed:
    // the activity read assigned does not mean the job's metrics are there yet.
    const res = await waitFor(async () => {
      const scraped = await getOnNewConnection(`http://127.0.0.1:${workerPort}/metrics`);
      return (sample(scraped.text, 'assignment_batch_size_count') ?? 0) > 0 && scraped;
    });
    expect(res.status).toBe(200);
    expect(sample(res.text, 'queue_job_latency_seconds_count', { queue: 'assignment', outcome: 'completed' })).toBe(1);
    expect(sample(res.text, 'queue_job_processing_seconds_count', { queue: 'assignment', outcome: 'completed' })).toBe(1);
    expect(sample(res.text, 'assignment_latency_seconds_count')).toBe(1);
    // One job, alone in its transaction.
    expect(sample(res.text, 'assignment_batch_size_count')).toBe(1);
    expect(sample(res.text, 'assignment_batch_size_sum')).toBe(1);
    const [row] = await stack.db.query(
      "SELECT id, UNIX_TIMESTAMP(created_at) * 1000 AS createdMs, TIMESTAMPDIFF(MICROSECOND, created_at, assigned_at) / 1e6 AS s FROM activity WHERE state = 'assigned'",
    );
    const processedOn = Number(await stack.redis.hget(`${stack.env.REDIS_PREFIX}:assignment:assign:${row.id}`, 'processedOn'));
    // Observed when the assignment locked the activity: at most its age at assigned_at, and at
    // least its age when the worker took the job (how long the transaction took in between
    // depends on the machine's load). Both clocks are the host's; 2 ms for their rounding.
    const observed = sample(res.text, 'assignment_latency_seconds_sum')!;
    expect(observed).toBeLessThanOrEqual(Number(row.s) + 0.0005);
    expect(observed).toBeGreaterThanOrEqual((processedOn - Number(row.createdMs)) / 1000 - 0.002);
    expect(sample(res.text, 'queue_jobs', { queue: 'assignment', state: 'waiting' })).toBe(0);
  });

  it('worker: a chat that waited for an agent counts in assignment latency when a drain assigns it, with the time it waited', async () => {
    const scrapeWorker = async () => (await getOnNewConnection(`http://127.0.0.1:${workerPort}/metrics`)).text;
    // Queue 2 has carol alone: her chat, handed back to the queue while she is away, waits for her.
    const carol = await agentLogin(stack, 'carol');
    expect((await agentCall(stack, carol.token, 'PUT', '/availability', { availability: 'available' })).status).toBe(200);
    const client = await clientOf(stack, '1002');
    const res = await start(stack, startDocument(client.lm, undefined, '1002'), { token: client.token, query: 'anonymousCustomer=yes' });
    expect(res.status).toBe(200);
    const conversationId = res.body.conversation.id as string;
    await waitForActivity(stack, conversationId, (a) => a.state === 'assigned');
    expect((await agentCall(stack, carol.token, 'PUT', '/availability', { availability: 'not_available' })).status).toBe(200);
    expect((await agentCall(stack, carol.token, 'POST', `/chats/${conversationId}/transfer`, { queue: { id: '2' } })).status).toBe(200);
    const before = await scrapeWorker();
    await new Promise((r) => setTimeout(r, 1500));

    const availableAt = Date.now();
    expect((await agentCall(stack, carol.token, 'PUT', '/availability', { availability: 'available' })).status).toBe(200);
    await waitForActivity(stack, conversationId, (a) => a.state === 'assigned');
    const after = await waitFor(async () => {
      const text = await scrapeWorker();
      return sample(text, 'assignment_latency_seconds_count')! > sample(before, 'assignment_latency_seconds_count')! ? text : undefined;
    });
    expect(sample(after, 'assignment_latency_seconds_count')! - sample(before, 'assignment_latency_seconds_count')!).toBe(1);
    const [row] = await stack.db.query(
      'SELECT UNIX_TIMESTAMP(waiting_since) * 1000 AS waitingSinceMs, TIMESTAMPDIFF(MICROSECOND, waiting_since, assigned_at) / 1e6 AS s FROM activity WHERE conversation_id = ?',
      [conversationId],
    );
    // Its wait since it went back to the queue, observed when the drain locked it: at most its
    // wait at assigned_at, and at least its wait when carol asked to be available (the drain
    // starts after that; how long it takes depends on the machine's load).
    const observed = sample(after, 'assignment_latency_seconds_sum')! - sample(before, 'assignment_latency_seconds_sum')!;
    expect(Number(row.s)).toBeGreaterThan(1.4);
    expect(observed).toBeLessThanOrEqual(Number(row.s) + 0.0005);
    expect(observed).toBeGreaterThanOrEqual((availableAt - Number(row.waitingSinceMs)) / 1000 - 0.002);
  });

  it('counts the jobs of a queue an administrator paused in the dashboard as paused, not as none', async () => {
    const board = `${stack.contextUrl}/admin/queues/api/queues/assignment`;
    const admin = { Authorization: `Basic ${Buffer.from(`${stack.credentials.adminUsername}:${stack.credentials.adminPassword}`).toString('base64')}` };
    expect((await fetch(`${board}/pause`, { method: 'PUT', headers: admin })).status).toBe(200);
    try {
      const token = await login(stack);
      const res = await start(stack, startDocument(await lastModified(stack, token)), { token, query: 'anonymousCustomer=yes' });
      expect(res.status).toBe(200);
      // The start's job is in Redis, held by the pause: the queue is not empty.
      const text = await waitFor(async () => {
        const t = await scrapeApi();
        return sample(t, 'queue_jobs', { queue: 'assignment', state: 'paused' }) === 1 ? t : undefined;
      });
      expect(sample(text, 'queue_jobs', { queue: 'assignment', state: 'waiting' })).toBe(0);
    } finally {
      expect((await fetch(`${board}/resume`, { method: 'PUT', headers: admin })).status).toBe(200);
    }
    await waitFor(async () => {
      const t = await scrapeApi();
      return sample(t, 'queue_jobs', { queue: 'assignment', state: 'paused' }) === 0 && sample(t, 'queue_jobs', { queue: 'assignment', state: 'waiting' }) === 0;
    });
  });
  it("reads the age of the oldest unrelayed outbox row from one row, not from the backlog or the day's relayed rows", async () => {
    // A day's relayed rows and a backlog dated in the future (never relayed during this test).
    await stack.db.query(
      `INSERT INTO outbox (topic, job_id, payload, created_at, relayed_at)
       SELECT 'assignment/assign-activity', CONCAT('age-relayed:', seq), '{}', NOW(3) - INTERVAL seq SECOND, NOW(3) - INTERVAL seq SECOND FROM seq_1_to_20000`,
    );
    await stack.db.query(
      `INSERT INTO outbox (topic, job_id, payload, created_at)
       SELECT 'assignment/assign-activity', CONCAT('age-backlog:', seq), '{}', NOW(3) + INTERVAL 2 HOUR FROM seq_1_to_20000`,
    );
    await stack.db.query('ANALYZE TABLE outbox');
    try {
      // ANALYZE runs the statement and counts the rows it actually read (r_rows).
      const [row] = await stack.db.query(`ANALYZE ${OLDEST_UNRELAYED}`);
      expect({ type: row.type, key: row.key, rowsRead: Number(row.r_rows) }).toEqual({ type: 'range', key: 'ix_outbox_pending', rowsRead: 1 });
      expect(sample(await scrapeApi(), 'outbox_oldest_unrelayed_age_seconds')).toBe(0);
    } finally {
      await stack.db.query("DELETE FROM outbox WHERE job_id LIKE 'age-%'");
    }
  });
});
