/**
 * An agent's presence and its chat capacity. `logged_out` is set by the session
 * lifecycle only; an agent chooses between the two others.
 */
export const AVAILABILITIES = ['available', 'not_available', 'logged_out'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

export const SETTABLE_AVAILABILITIES = ['available', 'not_available'] as const;
export type SettableAvailability = (typeof SETTABLE_AVAILABILITIES)[number];

export const CHAT_LIMIT = { min: 1, max: 100 } as const;

export interface AgentStatus {
  agentId: string;
  availability: Availability;
  maxChats: number;
  activeChats: number;
}

/**
 * Logging in makes a logged-out agent present but not yet taking chats; a present agent keeps
 * its state. A login whose session was ended before it reached the agent (an administrator's
 * logged_out crossing it) leaves the agent logged_out: presence follows live sessions.
 */
export function availabilityAfterLogin(current: Availability, liveSessions: number): Availability {
  return current === 'logged_out' && liveSessions > 0 ? 'not_available' : current;
}

/** Ending the last session logs the agent out; with another session still open it stays as it is. */
export function availabilityAfterLogout(current: Availability, sessionsLeft: number): Availability {
  return sessionsLeft > 0 ? current : 'logged_out';
}

export type AgentLoad = Omit<AgentStatus, 'agentId'>;

/** An agent as another agent chooses it: a chat handed to it by name (ClaimNamedAgent). */
export interface AgentOffer extends AgentStatus {
  displayName: string;
}

/** An agent's load and the queues it serves: what decides which waiting chats it may take. */
export interface AgentCapacity extends AgentLoad {
  queueIds: readonly string[];
}

/**
 * Whether a change of the agent lets waiting chats of its queues be assigned: it can take
 * a chat now, and it could not before or it can take more than before.
 */
export function opensCapacity(before: AgentLoad, after: AgentLoad): boolean {
  if (after.availability !== 'available' || after.activeChats >= after.maxChats) return false;
  if (before.availability !== 'available') return true;
  return after.maxChats - after.activeChats > before.maxChats - before.activeChats;
}

/**
 * The queues whose waiting chats a change of the agent may let it take: all of its queues
 * when it opens capacity, otherwise the queues it joined, provided it can take a chat at all.
 * A queue it already served with the same free slots needs no drain: its waiting chats were
 * already offered to them.
 */
export function queuesOpenedTo(before: AgentCapacity, after: AgentCapacity): string[] {
  if (after.availability !== 'available' || after.activeChats >= after.maxChats) return [];
  if (opensCapacity(before, after)) return [...after.queueIds];
  const served = new Set(before.queueIds);
  return after.queueIds.filter((queueId) => !served.has(queueId));
}
