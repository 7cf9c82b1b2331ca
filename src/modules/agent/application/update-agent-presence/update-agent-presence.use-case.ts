import { Injectable } from '@nestjs/common';
import { SessionStore } from '../../../../platform/session/session';
import { availabilityAfterLogin, availabilityAfterLogout } from '../../domain/agent-availability';
import { AgentStatusChange } from '../agent-status-change';
import { AgentRepository } from '../agent.repository';

export type PresenceEvent = { agentId: string; event: 'login' | 'logout' };

/**
 * Follows the agent's sessions: a login makes a logged-out agent not_available (it
 * chooses when to take chats), the end of its last session makes it logged_out. Its open
 * chats stay assigned to it either way.
 *
 * The live sessions are counted under the agent's row lock, after it is taken: a login
 * commits its session before it changes the agent, so a logout crossing it either sees that
 * session, or changes the agent before the login does (which then makes it not_available).
 * Counted before the lock, a logout could log out an agent that had just logged in again.
 * A login counts them too: an administrator's logged_out that ended its session before the
 * login reached the agent must leave the agent logged_out, not present without a session.
 */
@Injectable()
export class UpdateAgentPresence {
  constructor(private readonly change: AgentStatusChange, private readonly agents: AgentRepository, private readonly sessions: SessionStore) {}

  async execute(presence: PresenceEvent): Promise<void> {
    // A user with the agent role but no agent row yet can still log in; it just has no presence to follow.
    if (!(await this.agents.status(presence.agentId))) return;
    await this.change.apply(presence.agentId, async (current) => {
      const live = await this.sessions.liveCount('agent', presence.agentId);
      const next = presence.event === 'login' ? availabilityAfterLogin(current.availability, live) : availabilityAfterLogout(current.availability, live);
      if (next !== current.availability) await this.agents.setAvailability(presence.agentId, next);
    });
  }
}
