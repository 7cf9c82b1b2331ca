import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { ASSIGNMENT_QUEUE, WEBHOOK_QUEUE, type QueueName } from '../queue/queues';
import type { OutboxMessage } from './outbox';

/**
 * Adds sent to one queue and not answered yet, beyond which no more are sent. A Redis that hangs
 * (stopped, or behind a network that drops packets) keeps its connection `ready` for as long as
 * TCP does not give up, and every add waits in memory meanwhile: each start's fast path, and each
 * relay round the same 500 rows again. Past this many, the rows wait in MySQL for the relay.
 */
export const MAX_UNANSWERED_ADDS = 1000;

/** Puts outbox messages on their Bull queue under their deterministic job id. */
@Injectable()
export class QueueDispatcher {
  private readonly queues: Record<QueueName, Queue>;
  private readonly unanswered: Record<QueueName, number> = { [ASSIGNMENT_QUEUE]: 0, [WEBHOOK_QUEUE]: 0 };

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
    this.unanswered[message.queue]++;
    const answered = () => void this.unanswered[message.queue]--;
    added.then(answered, answered);
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

  /**
   * Whether the queue's Redis takes adds right now: its connection is up and it answers (fewer
   * than MAX_UNANSWERED_ADDS adds wait for it). Adds made otherwise would only pile up in memory.
   */
  isConnected(name: QueueName): boolean {
    return this.queues[name].client.status === 'ready' && this.unanswered[name] < MAX_UNANSWERED_ADDS;
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  all(): Queue[] {
    return Object.values(this.queues);
  }
}
