import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { ASSIGNMENT_QUEUE, WEBHOOK_QUEUE, type QueueName } from '../queue/queues';
import type { OutboxMessage } from './outbox';

/** Puts outbox messages on their Bull queue under their deterministic job id. */
@Injectable()
export class QueueDispatcher {
  private readonly queues: Record<QueueName, Queue>;

  constructor(@InjectQueue(ASSIGNMENT_QUEUE) assignment: Queue, @InjectQueue(WEBHOOK_QUEUE) webhook: Queue) {
    this.queues = { [ASSIGNMENT_QUEUE]: assignment, [WEBHOOK_QUEUE]: webhook };
  }

  async add(message: OutboxMessage): Promise<void> {
    await this.queues[message.queue].add(message.jobName, message.payload, { jobId: message.jobId });
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }
}
