import { Injectable } from '@nestjs/common';
import { AgentCapacityRepository } from '../agent-capacity.repository';

/**
 * Gives back the chat slot an agent held for a conversation that ended or moved on.
 * Joins the caller's transaction, so the slot comes back only if the change commits.
 */
@Injectable()
export class ReleaseAgentCapacity {
  constructor(private readonly agents: AgentCapacityRepository) {}

  execute(agentId: string): Promise<void> {
    return this.agents.release(agentId);
  }
}
