import { Injectable } from '@nestjs/common';
import type { AgentStatus, SettableAvailability } from '../../domain/agent-availability';
import { AgentStatusChange } from '../agent-status-change';
import { AgentRepository } from '../agent.repository';

export interface SetAvailabilityCommand {
  agentId: string;
  availability: SettableAvailability;
}

/** The agent starts or stops taking chats; becoming available assigns waiting chats of its queues. */
@Injectable()
export class SetAvailability {
  constructor(private readonly change: AgentStatusChange, private readonly agents: AgentRepository) {}

  execute(command: SetAvailabilityCommand): Promise<AgentStatus> {
    return this.change.apply(command.agentId, async (current) => {
      if (current.availability !== command.availability) await this.agents.setAvailability(command.agentId, command.availability);
    });
  }
}
