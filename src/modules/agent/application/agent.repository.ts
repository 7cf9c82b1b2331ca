import type { AgentStatus, Availability } from '../domain/agent-availability';

/** Agents' presence and limits, and the queues they serve. */
export abstract class AgentRepository {
  /** Loads the agent and locks its row until the caller's transaction ends. */
  abstract lockStatus(agentId: string): Promise<AgentStatus | undefined>;
  abstract status(agentId: string): Promise<AgentStatus | undefined>;
  abstract setAvailability(agentId: string, availability: Availability): Promise<void>;
  abstract setMaxChats(agentId: string, maxChats: number): Promise<void>;
  abstract queuesOf(agentId: string): Promise<string[]>;
  abstract queueExists(queueId: string): Promise<boolean>;
  abstract allQueueIds(): Promise<string[]>;
}
