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

  /**
   * Adds the job. While Redis is unreachable ioredis would hold the command in its offline
   * queue (maxRetriesPerRequest: null) and the promise would hang until Redis is back; with
   * `timeoutMs` the caller gets a rejection instead (the job may still be added later, which
   * the deterministic job id makes harmless).
   */
  async add(message: OutboxMessage, timeoutMs?: number): Promise<void> {
    const added = this.queues[message.queue].add(message.jobName, message.payload, { jobId: message.jobId });
    if (timeoutMs === undefined) {
      await added;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`queue ${message.queue} did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([added, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether the queue's Redis connection is up right now; adds made while it is not would only pile up in memory. */
  isConnected(name: QueueName): boolean {
    return this.queues[name].client.status === 'ready';
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  all(): Queue[] {
    return Object.values(this.queues);
  }
}
