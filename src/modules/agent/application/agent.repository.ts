import type { AgentStatus, Availability } from '../domain/agent-availability';

/** A queue as an agent chooses it, with the department it belongs to. */
export interface QueueSummary {
  queueId: string;
  name: string;
  department: { departmentId: string; name: string };
}

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
  /** Every queue (each one queueExists), in id order. */
  abstract allQueues(): Promise<QueueSummary[]>;
}
