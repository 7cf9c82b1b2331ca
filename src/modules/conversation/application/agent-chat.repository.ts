import type { AgentChat } from '../domain/agent-chat';

export interface AssignedChat {
  conversationId: string;
  activityId: string;
  queueId: string;
  subject: string | null;
  createdAt: Date;
  assignedAt: Date;
}

/** Chats as agents act on them. */
export abstract class AgentChatRepository {
  /** Loads and locks the activity of a conversation until the caller's transaction ends. */
  abstract lockChat(conversationId: string): Promise<AgentChat | undefined>;
  abstract listAssigned(agentId: string): Promise<AssignedChat[]>;
  /** Back to waiting, in the given queue, waiting counted from now. */
  abstract requeue(activityId: string, queueId: string): Promise<void>;
  abstract reassign(activityId: string, agentId: string): Promise<void>;
  /** How many chats wait in each of the queues (those with none are left out). */
  abstract waitingCounts(queueIds: readonly string[]): Promise<Map<string, number>>;
}
