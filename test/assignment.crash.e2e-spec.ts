import type { QueryRunner } from 'typeorm';
import { addAgents, assignmentLedger, startAnonymous } from './support/assignment';
import { clientOf } from './support/client';
import { Stack, waitFor, type RunningProcess } from './support/stack';

const AGENTS = 30;

/**
 * Workers that die (kill -9) or are stopped (SIGTERM) while assignment jobs are in
 * progress. To have jobs in progress for sure, the test holds a gap lock at the end of the
 * message table: an assignment transaction then waits on its 'assigned' insert, with its
 * agent claimed and not committed. Thirty agents, so that the claims held meanwhile never
 * leave a job without a free agent. The periodic sweep is slowed down: recovering the
 * killed worker's jobs is left to Bull's stalled-job check and the idempotent use case.
 */
describe('assignment workers that die or stop', () => {
  let stack: Stack;
  let client: Awaited<ReturnType<typeof clientOf>>;

  beforeAll(async () => {
    // Eight jobs per worker, so that a worker holds many jobs in progress when it is killed or stopped.
    stack = await Stack.start({ workers: 3, env: { ASSIGNMENT_RETRY_INTERVAL_MS: '600000', ASSIGNMENT_CONCURRENCY: '8' } });
    await stack.db.query("UPDATE agent SET availability = 'not_available'");
    await addAgents(stack, '1', Array.from({ length: AGENTS }, (_, i) => ({ username: `agent${i}`, maxChats: 50 })));
    client = await clientOf(stack, '1001');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const holds = new Set<QueryRunner>();

  async function holdAssignments(): Promise<QueryRunner> {
    const runner = stack.db.createQueryRunner();
    await runner.connect();
    holds.add(runner);
    await runner.startTransaction();
    await runner.query('SELECT seq FROM message WHERE seq > (SELECT COALESCE(MAX(seq), 0) FROM message) FOR UPDATE');
    return runner;
  }

  async function release(runner: QueryRunner): Promise<void> {
    if (!holds.delete(runner)) return;
    await runner.rollbackTransaction();
    await runner.release();
  }

  // A failed test must not leave its lock behind (the database could not be dropped).
  afterEach(async () => {
    for (const runner of [...holds]) await release(runner);
  });

  async function burst(count: number): Promise<string[]> {
    const ids: string[] = [];
    await Promise.all(Array.from({ length: 6 }, async () => {
      while (ids.length < count) {
        ids.push('');
        const res = await startAnonymous(stack, client);
        expect(res.status).toBe(200);
        ids[ids.indexOf('')] = res.body.conversation.id;
      }
    }));
    return ids;
  }

  const activeJobs = async () => stack.redis.llen(`${stack.env.REDIS_PREFIX}:assignment:active`);

  async function jobStats(): Promise<{ jobs: number; stalledAgain: number; failed: number }> {
    const keys = (await stack.redis.keys(`${stack.env.REDIS_PREFIX}:assignment:assign:*`)).filter((k) => !k.endsWith(':lock'));
    let stalledAgain = 0;
    let failed = 0;
    for (const key of keys) {
      const [stalled, failedReason] = await stack.redis.hmget(key, 'stalledCounter', 'failedReason');
      if (Number(stalled ?? 0) > 0) stalledAgain++;
      if (failedReason) failed++;
    }
    return { jobs: keys.length, stalledAgain, failed };
  }

  async function allAssigned(expected: number, timeoutMs = 30000): Promise<void> {
    await waitFor(async () => {
      const [{ total, assigned }] = await stack.db.query("SELECT COUNT(*) AS total, SUM(state = 'assigned') AS assigned FROM activity");
      return Number(total) === expected && Number(assigned) === expected;
    }, timeoutMs, 100);
  }

  it('kill -9 in the middle of a burst, three times with restarts: every activity assigned exactly once', async () => {
    let started = 0;
    const recoveries: number[] = [];
    for (let round = 0; round < 3; round++) {
      const hold = await holdAssignments();
      started += (await burst(40)).length;
      await waitFor(async () => (await activeJobs()) >= 12, 15000, 20);
      const victim = stack.workers.find((w) => w.child.exitCode === null && w.child.signalCode === null)!;
      const killedAt = Date.now();
      victim.child.kill('SIGKILL');
      await new Promise((r) => victim.child.once('exit', r));
      await release(hold);
      const restarted = stack.startWorker();
      started += (await burst(20)).length;
      await restarted;
      await allAssigned(started);
      recoveries.push(Date.now() - killedAt);
    }
    const stats = await jobStats();
    const ledger = await assignmentLedger(stack);
    console.log(JSON.stringify({ started, recoveryAfterKillMs: recoveries, ...stats }));
    // The killed workers' jobs came back through the stalled-job check, and none was given up.
    expect(stats.stalledAgain).toBeGreaterThanOrEqual(3);
    expect(stats.failed).toBe(0);
    expect(ledger.activities).toBe(started);
    expect(ledger.byState).toEqual({ assigned: started });
    expect(ledger.duplicateAssigned).toEqual([]);
    expect(ledger.mismatchedAgent).toEqual([]);
    expect(ledger.counterMismatch).toEqual([]);
  }, 120000);

  it('SIGTERM: the worker takes no new job, finishes the ones in progress, and exits 0', async () => {
    const before = (await assignmentLedger(stack)).activities;
    // Idle workers stop at once and cleanly.
    for (const w of stack.workers.filter((x) => x.child.exitCode === null && x.child.signalCode === null)) {
      const exited = new Promise<number | null>((resolve) => w.child.once('exit', (code) => resolve(code)));
      w.child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    // The only worker now: every job in progress is one of its own.
    const leaving: RunningProcess = await stack.startWorker({ LOG_LEVEL: 'info' });
    const hold = await holdAssignments();
    await burst(20);
    await waitFor(async () => (await activeJobs()) >= 8, 15000, 20);

    const signalledAt = Date.now();
    const exited = new Promise<number | null>((resolve) => leaving.child.once('exit', (code) => resolve(code)));
    leaving.child.kill('SIGTERM');
    await stack.startWorker();
    await new Promise((r) => setTimeout(r, 500));
    // Its jobs are still held by the lock: it waits for them instead of leaving them behind.
    expect(leaving.child.exitCode).toBeNull();
    await burst(10);
    await release(hold);
    expect(await exited).toBe(0);

    const done = leaving.output.filter((l) => l.includes('"msg":"assignment job done"')).map((l) => JSON.parse(l) as { jobId: string; time: number });
    const finishedAfterSignal = done.filter((j) => j.time >= signalledAt);
    expect(finishedAfterSignal.length).toBeGreaterThanOrEqual(8);
    for (const job of done) {
      const [processedOn, stalled] = await stack.redis.hmget(`${stack.env.REDIS_PREFIX}:assignment:${job.jobId}`, 'processedOn', 'stalledCounter');
      // Taken before the signal, and finished by this worker itself, not recovered as stalled.
      expect(Number(processedOn)).toBeLessThan(signalledAt);
      expect(Number(stalled ?? 0)).toBe(0);
    }
    await allAssigned(before + 30);
    const ledger = await assignmentLedger(stack);
    expect(ledger.duplicateAssigned).toEqual([]);
    expect(ledger.counterMismatch).toEqual([]);
  }, 60000);
});
