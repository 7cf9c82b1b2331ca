import { Injectable } from '@nestjs/common';
import { AgentRepository } from './agent.repository';

/** Which queues exist: the assignment sweep walks them one by one. */
@Injectable()
export class QueueDirectory {
  constructor(private readonly agents: AgentRepository) {}

  allQueueIds(): Promise<string[]> {
    return this.agents.allQueueIds();
  }
}
