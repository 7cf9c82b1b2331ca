import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { ClsService } from 'nestjs-cls';
import { ASSIGNMENT_QUEUE, JOB_ASSIGN_ACTIVITY, type AssignActivityJob } from '../../../platform/queue/queues';
import { AssignActivity, type AssignmentOutcome } from '../application/assign-activity/assign-activity.use-case';

const CONCURRENCY = Number(process.env.ASSIGNMENT_CONCURRENCY ?? 8);

/** Worker side of the assignment queue; the job carries ids only and the use case reloads state. */
@Processor(ASSIGNMENT_QUEUE)
export class AssignmentProcessor {
  private readonly logger = new Logger('Assignment');

  constructor(private readonly assignActivity: AssignActivity, private readonly cls: ClsService) {}

  @Process({ name: JOB_ASSIGN_ACTIVITY, concurrency: CONCURRENCY })
  async assign(job: Job<AssignActivityJob>): Promise<AssignmentOutcome> {
    return this.cls.run(async () => {
      this.cls.set('correlationId', job.data.correlationId);
      const result = await this.assignActivity.execute(job.data.activityId);
      this.logger.log({ jobId: job.id, activityId: job.data.activityId, correlationId: job.data.correlationId, ...result }, 'assignment job done');
      return result;
    });
  }
}
