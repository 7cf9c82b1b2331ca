import type { ConversationReading } from '../application/read-conversation/read-conversation.use-case';
import type { TranscriptEntry } from '../application/messaging.repository';
import type { SentMessage } from '../application/send-customer-message/send-customer-message.use-case';
import { TRANSCRIPT_PAGE_DEFAULT } from '../domain/transcript-page';
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

/**
 * A conversation with a page of its transcript, and the links of the side that reads it (client
 * application or agent); `next`, when more messages follow, reads the page after this one.
 */
export function conversationReadingDocument({ conversation: c, transcript, page, agentNames, customerTyping }: ConversationReading, links: ConversationLink[]) {
  const last = transcript.messages.at(-1);
  const next = transcript.more && last !== undefined ? [nextPageLink(links, last.id, page.limit)] : [];
  const { createdDate, ...core } = conversationCoreFields(c);
  return {
    conversation: {
      ...core,
      ...(c.agentId !== null ? { agent: { id: c.agentId, name: agentNames.get(c.agentId) ?? '' } } : {}),
      createdDate,
      ...(c.assignedAt ? { assignedDate: { date: c.assignedAt.toISOString() } } : {}),
      ...(c.completedAt ? { completedDate: { date: c.completedAt.toISOString() } } : {}),
      ...customerTypingMember(customerTyping),
      message: transcript.messages.map((m) => messageOf(m, agentNames)),
      link: [...links, ...next],
    },
  };
}

/** `customerTyping: {since: {date}}` of the agent's readings, present only while the customer types. */
export function customerTypingMember(since: Date | undefined) {
  return since === undefined ? {} : { customerTyping: { since: { date: since.toISOString() } } };
}

function nextPageLink(links: ConversationLink[], afterId: string, limit: number): ConversationLink {
  const self = links.find((l) => l.rel === 'self');
  if (self === undefined) throw new Error('a conversation reading has a self link');
  const query = limit === TRANSCRIPT_PAGE_DEFAULT ? `after=${afterId}` : `after=${afterId}&limit=${limit}`;
  return { rel: 'next', href: `${self.href}?${query}` };
}

export function sentMessageDocument(m: SentMessage) {
  return { message: { id: m.messageId, conversation: { id: m.conversationId }, type: { value: m.type }, timeStamp: m.occurredAt.getTime() } };
}
