import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Job } from 'bull';
import { QueueDispatcher } from '../outbox/queue-dispatcher';
import { ASSIGNMENT_QUEUE, QUEUES, type QueueName } from '../queue/queues';
import { recordAssignmentLatency } from './assignment-metrics';
import { assignmentBatchSize, jobLatency, jobProcessing } from './registry';

/**
 * Worker side: job latency and processing time per queue, read from Bull's own job
 * timestamps on the local `completed`/`failed` events, so processors need no metrics code.
 * Assignment latency is observed when an assignment job reports `{ outcome: 'assigned', waitedMs }`:
 * the activity's age by the database's clock when the assignment locked it, a few milliseconds
 * before `assigned_at`, read with that lock rather than by a query of its own (a drain observes
 * the chats it assigns itself, `recordAssignmentLatency`). Every assignment
 * job reports `batch`, the number of activities its transaction held.
 */
@Injectable()
export class JobMetrics implements OnModuleInit {
  constructor(private readonly queues: QueueDispatcher) {}

  onModuleInit(): void {
    for (const name of QUEUES) {
      const queue = this.queues.queue(name);
      queue.on('completed', (job: Job, result: unknown) => {
        this.observe(name, job, 'completed', true);
        if (name !== ASSIGNMENT_QUEUE) return;
        const assignment = result as { outcome?: string; waitedMs?: number; batch?: number } | undefined;
        if (assignment?.outcome === 'assigned' && typeof assignment.waitedMs === 'number') recordAssignmentLatency(assignment.waitedMs);
        if (typeof assignment?.batch === 'number') assignmentBatchSize.observe(assignment.batch);
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
}
