import type { QueryRunner } from 'typeorm';
import { waitFor, type Stack } from './stack';

/**
 * Holds the rows of some agents locked in a transaction of the test. Assignment claims
 * agents with SKIP LOCKED, so while the lock is held those agents are passed over, though
 * the start API (a plain read) still sees them free: the way to get a waiting activity
 * deterministically. `finish` commits what the test changed meanwhile, or rolls back.
 */
export async function lockAgents(stack: Stack, agentIds: string[]): Promise<{ runner: QueryRunner; finish: (commit: boolean) => Promise<void> }> {
  const runner = stack.db.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  await runner.query(`SELECT id FROM agent WHERE id IN (${agentIds.map(() => '?').join(',')}) FOR UPDATE`, agentIds);
  return {
    runner,
    finish: async (commit: boolean) => {
      if (commit) await runner.commitTransaction();
      else await runner.rollbackTransaction();
      await runner.release();
    },
  };
}

/** Waits until Bull has finished a job (its hash carries finishedOn). */
export async function waitForJobFinished(stack: Stack, queue: string, jobId: string, timeoutMs = 10000): Promise<void> {
  const key = `${stack.env.REDIS_PREFIX}:${queue}:${jobId}`;
  await waitFor(async () => (await stack.redis.hget(key, 'finishedOn')) !== null, timeoutMs, 20);
}
