import { Injectable } from '@nestjs/common';
import { AgentRepository, type QueueSummary } from './agent.repository';

/**
 * Which queues exist: the assignment sweep walks them one by one, and an agent may transfer a
 * chat to any of them (RequestQueueDrain refuses only a queue that does not exist).
 */
@Injectable()
export class QueueDirectory {
  constructor(private readonly agents: AgentRepository) {}

  allQueueIds(): Promise<string[]> {
    return this.agents.allQueueIds();
  }

  allQueues(): Promise<QueueSummary[]> {
    return this.agents.allQueues();
  }
}
