import type { StartedConversation } from '../application/start-conversation/start-conversation.use-case';

/** The conversation document answered by a start; ids as strings. */
export function conversationDocument(c: StartedConversation, basePath: string) {
  const self = `${basePath}/ws/v19/clientapplications/messaging/conversation/${c.conversationId}`;
  return {
    conversation: {
      id: c.conversationId,
      state: c.state,
      entryPoint: { id: c.entryPointId },
      activity: { id: c.activityId },
      case: { id: c.caseId },
      ...(c.customerId !== null ? { customer: { id: c.customerId } } : {}),
      createdDate: { date: c.createdAt.toISOString() },
      link: [
        { rel: 'self', href: self },
        { rel: 'sendmessage', href: `${basePath}/ws/v19/clientapplications/messaging/sendmessage` },
      ],
    },
  };
}
