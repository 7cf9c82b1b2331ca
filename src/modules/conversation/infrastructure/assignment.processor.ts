import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { ClsService } from 'nestjs-cls';
import { assignmentConcurrency } from '../../../platform/config/app-config';
import { Coalescer } from '../../../platform/runtime/coalescer';
import { ASSIGNMENT_QUEUE, JOB_ASSIGN_ACTIVITY, JOB_DRAIN_QUEUE, type AssignActivityJob, type DrainQueueJob } from '../../../platform/queue/queues';
import { AssignActivity, type AssignmentOutcome } from '../application/assign-activity/assign-activity.use-case';
import { DrainQueue } from '../application/drain-queue/drain-queue.use-case';

const CONCURRENCY = assignmentConcurrency();
/**
 * Assignment transactions a worker runs at the same time; the jobs it holds share them. Two,
 * so that a claim waiting for an agent row another worker holds does not stop the rest.
 */
const TRANSACTIONS = 2;
/** Drains of one queue compete for the same rows; a couple per worker is plenty. */
const DRAIN_CONCURRENCY = 2;

/** What an assignment job reports (Bull keeps it as the job's return value): `batch` activities shared its transaction. */
export type BatchedOutcome = AssignmentOutcome & { batch: number };

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/** Worker side of the assignment queue; jobs carry ids only and the use cases reload state. */
@Processor(ASSIGNMENT_QUEUE)
export class AssignmentProcessor {
  private readonly logger = new Logger('Assignment');

  /**
   * The jobs this worker holds share assignment transactions: those that arrive while one
   * runs go together into the next (one BEGIN, one locking read, one COMMIT and its log
   * flush for all of them). A job arriving at an idle worker runs at once.
   */
  private readonly batches = new Coalescer<AssignActivityJob, BatchedOutcome>((jobs) => this.assignTogether(jobs), CONCURRENCY, TRANSACTIONS);

  constructor(private readonly assignActivity: AssignActivity, private readonly drainQueue: DrainQueue, private readonly cls: ClsService) {}

  @Process({ name: JOB_ASSIGN_ACTIVITY, concurrency: CONCURRENCY })
  async assign(job: Job<AssignActivityJob>): Promise<BatchedOutcome & { drained?: number }> {
    return this.cls.run(async () => {
      this.cls.set('correlationId', job.data.correlationId);
      // Bull lists a job as active before the worker has it; this line says it has reached the
      // transactions (and, with 'assignment job done', how long it waited for one).
      this.logger.debug({ jobId: job.id, activityId: job.data.activityId, correlationId: job.data.correlationId }, 'assignment job taken');
      const result = await this.batches.submit(job.data);
      // No agent free: a slot freed while this attempt held the activity would have been
      // missed by that slot's drain (it skips locked rows); draining once more closes the gap.
      const drained = result.outcome === 'waiting' ? (await this.drainQueue.execute(result.queueId)).assigned : undefined;
      this.logger.log({ jobId: job.id, activityId: job.data.activityId, correlationId: job.data.correlationId, ...result, drained }, 'assignment job done');
      return { ...result, drained };
    });
  }

  private async assignTogether(jobs: AssignActivityJob[]): Promise<(BatchedOutcome | Error)[]> {
    try {
      return await this.inOneTransaction(jobs);
    } catch (err) {
      if (jobs.length === 1) return [asError(err)];
      // A chat that fails for a reason of its own is left out by AssignActivity, its job done
      // ('failed', tried again later by a drain). What fails here is not charged to one chat (a
      // lock wait timeout, the database gone): each alone, so that only the jobs it hits fail
      // (and are retried by Bull).
      this.logger.warn({ activityIds: jobs.map((job) => job.activityId), err: asError(err).message }, 'assignment batch failed; assigning its activities one by one');
      const outcomes: (BatchedOutcome | Error)[] = [];
      for (const job of jobs) outcomes.push(await this.inOneTransaction([job]).then((o) => o[0], asError));
      return outcomes;
    }
  }

  private inOneTransaction(jobs: AssignActivityJob[]): Promise<BatchedOutcome[]> {
    return this.cls.run(async () => {
      this.cls.set('correlationId', jobs.map((job) => job.correlationId).join(','));
      const outcomes = await this.assignActivity.execute(jobs.map((job) => job.activityId));
      return outcomes.map((outcome) => ({ ...outcome, batch: jobs.length }));
    });
  }

  @Process({ name: JOB_DRAIN_QUEUE, concurrency: DRAIN_CONCURRENCY })
  async drain(job: Job<DrainQueueJob>): Promise<{ assigned: number }> {
    return this.cls.run(async () => {
      this.cls.set('correlationId', job.data.correlationId);
      const result = await this.drainQueue.execute(job.data.queueId);
      this.logger.log({ jobId: job.id, queueId: job.data.queueId, correlationId: job.data.correlationId, ...result }, 'drain job done');
      return result;
    });
  }
}
