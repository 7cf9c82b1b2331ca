import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { ClsService } from 'nestjs-cls';
import { assignmentConcurrency } from '../../../platform/config/app-config';
import { ASSIGNMENT_QUEUE, JOB_ASSIGN_ACTIVITY, JOB_DRAIN_QUEUE, type AssignActivityJob, type DrainQueueJob } from '../../../platform/queue/queues';
import { AssignActivity, type AssignmentOutcome } from '../application/assign-activity/assign-activity.use-case';
import { DrainQueue } from '../application/drain-queue/drain-queue.use-case';

const CONCURRENCY = assignmentConcurrency();
/** Drains of one queue compete for the same rows; a couple per worker is plenty. */
const DRAIN_CONCURRENCY = 2;

/** Worker side of the assignment queue; jobs carry ids only and the use cases reload state. */
@Processor(ASSIGNMENT_QUEUE)
export class AssignmentProcessor {
  private readonly logger = new Logger('Assignment');

  constructor(private readonly assignActivity: AssignActivity, private readonly drainQueue: DrainQueue, private readonly cls: ClsService) {}

  @Process({ name: JOB_ASSIGN_ACTIVITY, concurrency: CONCURRENCY })
  async assign(job: Job<AssignActivityJob>): Promise<AssignmentOutcome & { drained?: number }> {
    return this.cls.run(async () => {
      this.cls.set('correlationId', job.data.correlationId);
      const result = await this.assignActivity.execute(job.data.activityId);
      // No agent free: a slot freed while this attempt held the activity would have been
      // missed by that slot's drain (it skips locked rows); draining once more closes the gap.
      const drained = result.outcome === 'waiting' ? (await this.drainQueue.execute(result.queueId)).assigned : undefined;
      this.logger.log({ jobId: job.id, activityId: job.data.activityId, correlationId: job.data.correlationId, ...result, drained }, 'assignment job done');
      return { ...result, drained };
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
