import type { ConversationReading } from '../application/read-conversation/read-conversation.use-case';
import type { TranscriptEntry } from '../application/messaging.repository';
import type { SentMessage } from '../application/send-customer-message/send-customer-message.use-case';
import { conversationCoreFields, type ConversationLink } from './conversation.response';

/** A transcript entry in the shape of a callback message (plus `customer` senders). */
function messageOf(m: TranscriptEntry, names: Map<string, string>) {
  return {
    id: m.id,
    type: { value: m.type },
    ...(m.content !== null ? { content: m.content } : {}),
    sender: m.sender.type === 'user' ? { type: 'user', user: { id: m.sender.agentId, name: names.get(m.sender.agentId) ?? '' } } : { type: m.sender.type },
    timeStamp: m.createdAt.getTime(),
  };
}

/** A conversation with its transcript, and the links of the side that reads it (client application or agent). */
export function conversationReadingDocument({ conversation: c, agentNames }: ConversationReading, links: ConversationLink[]) {
  const { createdDate, ...core } = conversationCoreFields(c);
  return {
    conversation: {
      ...core,
      ...(c.agentId !== null ? { agent: { id: c.agentId, name: agentNames.get(c.agentId) ?? '' } } : {}),
      createdDate,
      ...(c.assignedAt ? { assignedDate: { date: c.assignedAt.toISOString() } } : {}),
      ...(c.completedAt ? { completedDate: { date: c.completedAt.toISOString() } } : {}),
      message: c.messages.map((m) => messageOf(m, agentNames)),
      link: links,
    },
  };
}

export function sentMessageDocument(m: SentMessage) {
  return { message: { id: m.messageId, conversation: { id: m.conversationId }, type: { value: m.type }, timeStamp: m.occurredAt.getTime() } };
}
