import { Injectable } from '@nestjs/common';
import { UserDirectory } from '../../../user-account';
import { ConversationNotFound, NotYourConversation } from '../../domain/agent-chat.errors';
import { CustomerTyping } from '../customer-typing';
import { MessagingRepository } from '../messaging.repository';
import type { ConversationReading } from '../read-conversation/read-conversation.use-case';
import { readTranscript } from '../read-conversation/read-transcript';
import type { TranscriptPage } from '../../domain/transcript-page';

/**
 * The agent reads a chat of its own (assigned to it, or ended while it had it) with its
 * transcript, page by page: what the customer wrote, before the assignment too. A chat of another agent,
 * or one it handed on, is NotYourConversation, as for complete and transfer. While the chat is
 * assigned, the reading also says since when the customer is typing, if it is (CustomerTyping).
 */
@Injectable()
export class ReadAgentChat {
  constructor(private readonly conversations: MessagingRepository, private readonly users: UserDirectory, private readonly typing: CustomerTyping) {}

  async execute(conversationId: string, agentId: string, page: TranscriptPage): Promise<ConversationReading> {
    const conversation = await this.conversations.details(conversationId.toLowerCase());
    if (!conversation) throw new ConversationNotFound(conversationId);
    if (conversation.agentId !== agentId) throw new NotYourConversation(conversationId);
    const reading = await readTranscript(this.conversations, this.users, conversation, page);
    // An ended chat shows no typing, even when its state has not expired yet.
    if (conversation.state !== 'assigned') return reading;
    const customerTyping = (await this.typing.typingSince([conversation.conversationId])).get(conversation.conversationId);
    return customerTyping === undefined ? reading : { ...reading, customerTyping };
  }
}
