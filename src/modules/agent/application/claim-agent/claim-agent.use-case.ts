import { Injectable } from '@nestjs/common';
import { AgentCapacityRepository, type Claim } from '../agent-capacity.repository';

/** Takes a chat slot of an agent of the queue, never above the agent's limit, whatever the number of workers. */
@Injectable()
export class ClaimAgent {
  constructor(private readonly agents: AgentCapacityRepository) {}

  execute(queueId: string, mayWait: boolean): Promise<Claim> {
    return this.agents.claim(queueId, mayWait);
  }
}
