import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ClsService } from 'nestjs-cls';
import { Outbox, type StoredOutboxMessage } from '../../../platform/outbox/outbox';
import { ASSIGNMENT_QUEUE, JOB_DRAIN_QUEUE, drainJobId, type DrainQueueJob } from '../../../platform/queue/queues';

/**
 * Asks the assignment workers to assign the waiting chats of queues, after the caller's
 * transaction commits: an outbox row per queue, written in that transaction. The caller
 * dispatches the returned messages after commit (the relay delivers them otherwise).
 */
@Injectable()
export class QueueDrain {
  constructor(private readonly outbox: Outbox, private readonly cls: ClsService) {}

  async request(queueIds: readonly string[]): Promise<StoredOutboxMessage[]> {
    const correlationId = (this.cls.isActive() ? (this.cls.get<string>('correlationId') ?? this.cls.getId()) : undefined) ?? randomUUID();
    const messages: StoredOutboxMessage[] = [];
    for (const queueId of queueIds) {
      const payload: DrainQueueJob = { queueId, correlationId };
      messages.push(await this.outbox.add({ queue: ASSIGNMENT_QUEUE, jobName: JOB_DRAIN_QUEUE, jobId: drainJobId(queueId, randomUUID()), payload: { ...payload } }));
    }
    return messages;
  }
}
