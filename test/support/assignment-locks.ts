import type { QueryRunner } from 'typeorm';
import { TAKE_QUEUE_SLOT_SQL } from '../../src/modules/agent/infrastructure/mysql-agent-capacity.repository';
import { waitFor, type RunningProcess, type Stack } from './stack';

/**
 * Holds the rows of some agents locked in a transaction of the test. The start API (a plain
 * read) still sees them free, while an assignment that needs them waits for the lock
 * (`waitForBlockedClaims`); whatever the test changes meanwhile (the agent made full or
 * unavailable) is what the claim finds once `finish` commits: the way to get a waiting
 * activity deterministically. `finish(false)` rolls back.
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

/**
 * Chats whose first attempts find no agent, so that they wait: the agents' rows are held while
 * each of `starts` runs, until every first attempt waits for them; `whileHeld` then makes the
 * agents unfit (full, unavailable) in the same transaction, and the attempts, let go, find none.
 * Resolves with the chats, in order, once each one's assignment job has finished.
 */
export async function chatsLeftWaiting<T extends { activityId: string }>(
  stack: Stack,
  agentIds: string[],
  starts: (() => Promise<T>)[],
  whileHeld: (runner: QueryRunner) => Promise<unknown>,
): Promise<T[]> {
  const lock = await lockAgents(stack, agentIds);
  try {
    const chats: T[] = [];
    for (const startOne of starts) chats.push(await startOne());
    await waitForBlockedClaims(stack, chats.length);
    await whileHeld(lock.runner);
    await lock.finish(true);
    for (const chat of chats) await waitForJobFinished(stack, 'assignment', `assign:${chat.activityId}`);
    return chats;
  } catch (err) {
    await lock.finish(false);
    throw err;
  }
}

/** The claim's statement up to its parameters: the same text in the process list whatever the values (it runs prepared: command 'Execute'). */
const CLAIM_TEXT = TAKE_QUEUE_SLOT_SQL.slice(0, TAKE_QUEUE_SLOT_SQL.indexOf('?'));

/**
 * Waits until `count` claims of the stack's database are waiting for an agent row that
 * `lockAgents` holds: statements taking a slot that have not returned. (InnoDB does not
 * always report such a transaction as LOCK WAIT, so the running statements are counted.)
 */
export async function waitForBlockedClaims(stack: Stack, count: number, timeoutMs = 10000): Promise<void> {
  await waitFor(async () => {
    const [{ n }] = await stack.db.query(
      `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST
        WHERE DB = ? AND COMMAND IN ('Query', 'Execute') AND LEFT(INFO, ?) = ?`,
      [stack.env.DB_NAME, CLAIM_TEXT.length, CLAIM_TEXT],
    );
    return Number(n) >= count;
  }, timeoutMs, 20);
}

/** Waits until Bull has finished a job (its hash carries finishedOn). */
export async function waitForJobFinished(stack: Stack, queue: string, jobId: string, timeoutMs = 10000): Promise<void> {
  const key = `${stack.env.REDIS_PREFIX}:${queue}:${jobId}`;
  await waitFor(async () => (await stack.redis.hget(key, 'finishedOn')) !== null, timeoutMs, 20);
}

/**
 * Waits until the worker's processor has these activities' assignment jobs (its debug line
 * 'assignment job taken', so the stack must log at debug): Bull lists a job as active before
 * the worker's process has read it, and a job read after the locks are let go would not share
 * the transaction the test means it to.
 */
export async function jobsTaken(worker: RunningProcess, activityIds: string[], timeoutMs = 20000): Promise<void> {
  const taken = (id: string) => worker.output.some((line) => {
    if (!line.includes('assignment job taken')) return false;
    const entry = JSON.parse(line) as { msg?: string; activityId?: unknown };
    return entry.msg === 'assignment job taken' && String(entry.activityId) === id;
  });
  await waitFor(async () => activityIds.every(taken), timeoutMs, 20);
}
