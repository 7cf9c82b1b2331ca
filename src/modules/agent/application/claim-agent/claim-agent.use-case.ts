import { Injectable } from '@nestjs/common';
import { AgentCapacityRepository } from '../agent-capacity.repository';

/** Takes a chat slot of an agent of the queue, never above the agent's limit, whatever the number of workers. */
@Injectable()
export class ClaimAgent {
  constructor(private readonly agents: AgentCapacityRepository) {}

  execute(queueId: string): Promise<string | undefined> {
    return this.agents.claim(queueId);
  }
}
