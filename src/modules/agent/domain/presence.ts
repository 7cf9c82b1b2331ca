import type { Availability } from './agent-availability';
import { AgentNotLoggedIn } from './agent.errors';

/**
 * An availability given to an agent by someone else (an administrator) must agree with its
 * sessions, as its own login and logout keep it: present (available or not_available) only
 * while it has a live session. An agent made available without one would be handed chats
 * nobody reads; made not_available, it would look present to whoever assigns by hand.
 * `agent`: its id, or the user name of an agent being created, for the error.
 */
export function checkPresence(agent: string, availability: Availability, liveSessions: number): void {
  if (availability !== 'logged_out' && liveSessions === 0) throw new AgentNotLoggedIn(agent, availability);
}
