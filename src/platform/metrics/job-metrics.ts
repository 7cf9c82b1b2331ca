import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bull';
import { DataSource } from 'typeorm';
import { QueueDispatcher } from '../outbox/queue-dispatcher';
import { ASSIGNMENT_QUEUE, QUEUES, type AssignActivityJob, type QueueName } from '../queue/queues';
import { assignmentLatency, jobLatency, jobProcessing } from './registry';

/**
 * Worker side: job latency and processing time per queue, read from Bull's own job
 * timestamps on the local `completed`/`failed` events, so processors need no metrics code.
 * Assignment latency is observed when an assignment job reports `{ outcome: 'assigned' }`:
 * one primary-key read of the activity gives created_at → assigned_at as MySQL recorded them.
 */
@Injectable()
export class JobMetrics implements OnModuleInit {
  private readonly logger = new Logger('Metrics');

  constructor(private readonly queues: QueueDispatcher, private readonly db: DataSource) {}

  onModuleInit(): void {
    for (const name of QUEUES) {
      const queue = this.queues.queue(name);
      queue.on('completed', (job: Job, result: unknown) => {
        this.observe(name, job, 'completed', true);
        if (name === ASSIGNMENT_QUEUE && (result as { outcome?: string } | undefined)?.outcome === 'assigned') {
          void this.observeAssignment((job.data as AssignActivityJob).activityId);
        }
      });
      queue.on('failed', (job: Job) => {
        const final = job.attemptsMade >= (job.opts.attempts ?? 1);
        this.observe(name, job, 'failed', final);
      });
    }
  }

  private observe(queue: QueueName, job: Job, outcome: 'completed' | 'failed', final: boolean): void {
    const finished = job.finishedOn ?? Date.now();
    if (job.processedOn) jobProcessing.observe({ queue, outcome }, Math.max(0, finished - job.processedOn) / 1000);
    if (final) jobLatency.observe({ queue, outcome }, Math.max(0, finished - job.timestamp) / 1000);
  }

  private async observeAssignment(activityId: string): Promise<void> {
    try {
      const rows: { us: string | null }[] = await this.db.query(
        'SELECT TIMESTAMPDIFF(MICROSECOND, created_at, assigned_at) AS us FROM activity WHERE id = ? AND assigned_at IS NOT NULL',
        [activityId],
      );
      if (rows.length === 1 && rows[0].us !== null) assignmentLatency.observe(Math.max(0, Number(rows[0].us)) / 1e6);
    } catch (err) {
      this.logger.warn({ activityId, err: (err as Error).message }, 'could not read assignment latency');
    }
  }
}
