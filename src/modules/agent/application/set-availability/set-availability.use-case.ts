import { Injectable } from '@nestjs/common';
import { SessionStore } from '../../../../platform/session/session';
import type { AgentStatus, SettableAvailability } from '../../domain/agent-availability';
import { checkPresence } from '../../domain/presence';
import { AgentStatusChange } from '../agent-status-change';
import { AgentRepository } from '../agent.repository';

export interface SetAvailabilityCommand {
  agentId: string;
  availability: SettableAvailability;
}

/**
 * The agent starts or stops taking chats; becoming available assigns waiting chats of its queues.
 *
 * Presence follows sessions here too: the request was authenticated before it took the agent's
 * row, and a logout or an administrator's logged_out may have ended the agent's last session
 * meanwhile. Its live sessions are counted under that lock, as the logout counts them: without
 * one the change is refused (409 AgentNotLoggedIn), or the agent would be present, handed chats,
 * with nobody logged in and nothing to log it out again.
 */
@Injectable()
export class SetAvailability {
  constructor(private readonly change: AgentStatusChange, private readonly agents: AgentRepository, private readonly sessions: SessionStore) {}

  execute(command: SetAvailabilityCommand): Promise<AgentStatus> {
    return this.change.apply(command.agentId, async (current) => {
      checkPresence(command.agentId, command.availability, await this.sessions.liveCount('agent', command.agentId));
      if (current.availability !== command.availability) await this.agents.setAvailability(command.agentId, command.availability);
    });
  }
}
