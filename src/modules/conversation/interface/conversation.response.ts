import type { StartedConversation } from '../application/start-conversation/start-conversation.use-case';

/** What every conversation document starts with, whichever route answers it. */
export interface ConversationCore {
  conversationId: string;
  state: string;
  entryPointId: string;
  activityId: string;
  caseId: string;
  customerId: string | null;
  createdAt: Date;
}

/** The fields shared by the start answer and the conversation reading; ids as strings. */
export function conversationCoreFields(c: ConversationCore) {
  return {
    id: c.conversationId,
    state: c.state,
    entryPoint: { id: c.entryPointId },
    activity: { id: c.activityId },
    case: { id: c.caseId },
    ...(c.customerId !== null ? { customer: { id: c.customerId } } : {}),
    createdDate: { date: c.createdAt.toISOString() },
  };
}

export type ConversationLink = { rel: 'self' | 'sendmessage' | 'next'; href: string };

/** Where the client application reads the conversation and sends into it. */
export function conversationLinks(conversationId: string, basePath: string): ConversationLink[] {
  return [
    { rel: 'self', href: `${basePath}/ws/v19/clientapplications/messaging/conversation/${conversationId}` },
    { rel: 'sendmessage', href: `${basePath}/ws/v19/clientapplications/messaging/sendmessage` },
  ];
}

/** Where the agent reads its chat and sends into it. */
export function agentChatLinks(conversationId: string, basePath: string): ConversationLink[] {
  return [
    { rel: 'self', href: `${basePath}/ws/v19/agent/chats/${conversationId}` },
    { rel: 'sendmessage', href: `${basePath}/ws/v19/agent/messaging/sendmessage` },
  ];
}

/** The conversation document answered by a start. */
export function conversationDocument(c: StartedConversation, basePath: string) {
  return { conversation: { ...conversationCoreFields(c), link: conversationLinks(c.conversationId, basePath) } };
}
