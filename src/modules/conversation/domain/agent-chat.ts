import { ConversationNotFound, ConversationStateConflict, NotYourConversation } from './agent-chat.errors';

export type ActivityState = 'waiting' | 'assigned' | 'completed' | 'unassigned';

/** A chat as the agent side sees it: whose it is and where it stands. */
export interface AgentChat {
  activityId: string;
  conversationId: string;
  queueId: string;
  state: ActivityState;
  agentId: string | null;
}

/**
 * An agent acts only on a chat assigned to it and still open. Ownership is checked first,
 * so an agent learns nothing about the state of somebody else's chat.
 */
export function checkAgentMayAct(chat: AgentChat | undefined, conversationId: string, agentId: string, action: 'completed' | 'transferred'): AgentChat {
  if (!chat) throw new ConversationNotFound(conversationId);
  if (chat.agentId !== agentId) throw new NotYourConversation(conversationId);
  if (chat.state !== 'assigned') throw new ConversationStateConflict(conversationId, chat.state, action);
  return chat;
}
