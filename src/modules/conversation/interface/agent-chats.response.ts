import { customerTypingMember } from './messaging.response';
import type { ListedChat } from '../application/list-agent-chats/list-agent-chats.use-case';
import type { TransferredChat } from '../application/transfer-chat/transfer-chat.use-case';

/** `chats.chat[]`, as this API family lists repeated elements (XML: `<chats><chat>…</chat></chats>`). */
export function agentChatsDocument(chats: ListedChat[]) {
  return {
    chats: {
      chat: chats.map((c) => ({
        conversation: { id: c.conversationId },
        activity: { id: c.activityId },
        queue: { id: c.queueId },
        ...(c.subject !== null ? { subject: c.subject } : {}),
        createdDate: { date: c.createdAt.toISOString() },
        assignedDate: { date: c.assignedAt.toISOString() },
        ...customerTypingMember(c.customerTyping),
      })),
    },
  };
}

export function completedChatDocument(conversationId: string) {
  return { conversation: { id: conversationId, state: 'completed' } };
}

export function transferredChatDocument(t: TransferredChat) {
  return {
    conversation: {
      id: t.conversationId,
      state: t.state,
      queue: { id: t.queueId },
      ...(t.agentId !== null ? { agent: { id: t.agentId } } : {}),
    },
  };
}
