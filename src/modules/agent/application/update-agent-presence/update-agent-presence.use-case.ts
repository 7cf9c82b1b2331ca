import { Injectable } from '@nestjs/common';
import { availabilityAfterLogin, availabilityAfterLogout } from '../../domain/agent-availability';
import { AgentStatusChange } from '../agent-status-change';
import { AgentRepository } from '../agent.repository';

export type PresenceEvent = { agentId: string; event: 'login' } | { agentId: string; event: 'logout'; sessionsLeft: number };

/**
 * Follows the agent's sessions: a login makes a logged-out agent not_available (it
 * chooses when to take chats), the end of its last session makes it logged_out. Its open
 * chats stay assigned to it either way.
 */
@Injectable()
export class UpdateAgentPresence {
  constructor(private readonly change: AgentStatusChange, private readonly agents: AgentRepository) {}

  async execute(presence: PresenceEvent): Promise<void> {
    // A user with the agent role but no agent row yet can still log in; it just has no presence to follow.
    if (!(await this.agents.status(presence.agentId))) return;
    await this.change.apply(presence.agentId, async (current) => {
      const next = presence.event === 'login' ? availabilityAfterLogin(current.availability) : availabilityAfterLogout(current.availability, presence.sessionsLeft);
      if (next !== current.availability) await this.agents.setAvailability(presence.agentId, next);
    });
  }
}
