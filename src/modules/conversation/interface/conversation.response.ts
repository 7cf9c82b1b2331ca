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

export function conversationLinks(conversationId: string, basePath: string) {
  return [
    { rel: 'self', href: `${basePath}/ws/v19/clientapplications/messaging/conversation/${conversationId}` },
    { rel: 'sendmessage', href: `${basePath}/ws/v19/clientapplications/messaging/sendmessage` },
  ];
}

/** The conversation document answered by a start. */
export function conversationDocument(c: StartedConversation, basePath: string) {
  return { conversation: { ...conversationCoreFields(c), link: conversationLinks(c.conversationId, basePath) } };
}
