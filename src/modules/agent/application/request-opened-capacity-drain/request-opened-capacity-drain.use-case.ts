import { Injectable } from '@nestjs/common';
import type { StoredOutboxMessage } from '../../../../platform/outbox/outbox';
import { queuesOpenedTo, type AgentCapacity } from '../../domain/agent-availability';
import { AgentRepository } from '../agent.repository';
import { QueueDrain } from '../queue-drain';

export interface RequestOpenedCapacityDrainCommand {
  agentId: string;
  /** The agent before the change (a new agent is logged_out: it opens nothing). */
  before: AgentCapacity;
}

/**
 * An agent was changed from outside the agent's own routes (the administration):
 * in the caller's transaction, after the change, asks for the queues where the agent can now
 * take chats it could not take before to be drained after commit, as the agent's own changes
 * of availability and limit do. The caller dispatches the returned messages after commit.
 */
@Injectable()
export class RequestOpenedCapacityDrain {
  constructor(private readonly agents: AgentRepository, private readonly drain: QueueDrain) {}

  async execute(command: RequestOpenedCapacityDrainCommand): Promise<StoredOutboxMessage[]> {
    const status = await this.agents.status(command.agentId);
    if (!status) return [];
    const after: AgentCapacity = { ...status, queueIds: await this.agents.queuesOf(command.agentId) };
    return this.drain.request(queuesOpenedTo(command.before, after));
  }
}
