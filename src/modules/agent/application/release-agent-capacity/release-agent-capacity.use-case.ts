import { Injectable } from '@nestjs/common';
import type { StoredOutboxMessage } from '../../../../platform/outbox/outbox';
import { AgentCapacityRepository } from '../agent-capacity.repository';
import { AgentRepository } from '../agent.repository';
import { QueueDrain } from '../queue-drain';

/**
 * Gives back the slot of a chat that ended or moved away from the agent, in the caller's
 * transaction, and asks for the agent's queues to be drained: the freed slot goes to the
 * oldest waiting chat. The caller dispatches the returned messages after commit; a caller
 * that does not still gets its drains, from the relay, OUTBOX_RELAY_GRACE_MS later.
 */
@Injectable()
export class ReleaseAgentCapacity {
  constructor(private readonly capacity: AgentCapacityRepository, private readonly agents: AgentRepository, private readonly drain: QueueDrain) {}

  async execute(agentId: string): Promise<StoredOutboxMessage[]> {
    await this.capacity.release(agentId);
    return this.drain.request(await this.agents.queuesOf(agentId));
  }
}
