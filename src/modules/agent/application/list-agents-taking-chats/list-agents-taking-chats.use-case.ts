import { Injectable } from '@nestjs/common';
import type { AgentOffer } from '../../domain/agent-availability';
import { AgentCapacityRepository } from '../agent-capacity.repository';

/**
 * The agents a chat can be handed to by name right now (ClaimNamedAgent would take a slot of
 * each), by display name. What the caller reads may change before it acts: the claim decides.
 */
@Injectable()
export class ListAgentsTakingChats {
  constructor(private readonly capacity: AgentCapacityRepository) {}

  execute(): Promise<AgentOffer[]> {
    return this.capacity.agentsTakingChats();
  }
}
