import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { ClsService } from 'nestjs-cls';
import type { AssignActivity, AssignmentOutcome } from '../application/assign-activity/assign-activity.use-case';
import type { DrainQueue } from '../application/drain-queue/drain-queue.use-case';
import type { AssignmentProcessor as Processor } from './assignment.processor';

const job = (activityId: string) => ({ id: `assign:${activityId}`, data: { activityId, correlationId: `corr-${activityId}` } }) as Job<{ activityId: string; correlationId: string }>;
const assigned = (id: string): AssignmentOutcome => ({ outcome: 'assigned', agentId: '7', conversationId: `conv-${id}`, waitedMs: 1 });

describe('AssignmentProcessor: jobs sharing assignment transactions', () => {
  let AssignmentProcessor: typeof Processor;
  const saved = process.env.ASSIGNMENT_CONCURRENCY;

  beforeAll(() => {
    // The processor reads its concurrency (the largest batch) when its module loads.
    process.env.ASSIGNMENT_CONCURRENCY = '8';
    Logger.overrideLogger(false);
    ({ AssignmentProcessor } = require('./assignment.processor'));
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.ASSIGNMENT_CONCURRENCY;
    else process.env.ASSIGNMENT_CONCURRENCY = saved;
  });

  /**
   * A use case whose first two transactions (one per lane) wait until `release`, so the jobs
   * submitted meanwhile form one batch; a transaction holding 'bad' fails, as a database error would.
   */
  function setup() {
    const transactions: { ids: string[]; correlationId: string | undefined }[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const cls = new ClsService(new AsyncLocalStorage());
    const assignActivity = {
      execute: jest.fn(async (ids: readonly string[]) => {
        transactions.push({ ids: [...ids], correlationId: cls.get('correlationId') });
        if (transactions.length <= 2) await held;
        if (ids.includes('bad')) throw new Error('a broken row');
        return ids.map(assigned);
      }),
    } as unknown as AssignActivity;
    const drainQueue = { execute: jest.fn(async () => ({ assigned: 0 })) } as unknown as DrainQueue;
    return { processor: new AssignmentProcessor(assignActivity, drainQueue, cls), transactions, release };
  }

  it('assigns the jobs that arrive while transactions run in one transaction, and says so in each result', async () => {
    const { processor, transactions, release } = setup();
    const results = Promise.all(['1', '2', '3', '4', '5'].map((id) => processor.assign(job(id))));
    await new Promise(setImmediate);
    release();
    const outcomes = await results;
    expect(transactions.map((t) => t.ids)).toEqual([['1'], ['2'], ['3', '4', '5']]);
    expect(transactions[2].correlationId).toBe('corr-3,corr-4,corr-5');
    expect(outcomes.map((o) => [o.outcome === 'assigned' && o.conversationId, o.batch])).toEqual([
      ['conv-1', 1], ['conv-2', 1], ['conv-3', 3], ['conv-4', 3], ['conv-5', 3],
    ]);
  });

  it('when a shared transaction fails, assigns its activities one by one: only the failing job fails', async () => {
    const { processor, transactions, release } = setup();
    const results = ['1', '2', '3', 'bad', '5'].map((id) => processor.assign(job(id)).then((o) => o.outcome, (e: Error) => `failed: ${e.message}`));
    await new Promise(setImmediate);
    release();
    expect(await Promise.all(results)).toEqual(['assigned', 'assigned', 'assigned', 'failed: a broken row', 'assigned']);
    expect(transactions.map((t) => t.ids)).toEqual([['1'], ['2'], ['3', 'bad', '5'], ['3'], ['bad'], ['5']]);
  });
});
