import { Injectable } from '@nestjs/common';
import { AppError } from '../../../../platform/errors/app-error';
import type { StoredOutboxMessage } from '../../../../platform/outbox/outbox';
import { AgentRepository } from '../agent.repository';
import { QueueDrain } from '../queue-drain';

/**
 * A chat was put (back) into a queue: in the caller's transaction, checks the queue and
 * asks for it to be drained after commit. The caller dispatches the returned message.
 */
@Injectable()
export class RequestQueueDrain {
  constructor(private readonly agents: AgentRepository, private readonly drain: QueueDrain) {}

  async execute(queueId: string): Promise<StoredOutboxMessage[]> {
    if (!(await this.agents.queueExists(queueId))) throw new AppError('ResourceNotFound', `queue ${queueId} does not exist`, 'queue.id', { resource: 'queue' });
    return this.drain.request([queueId]);
  }
}
