import { Injectable } from '@nestjs/common';
import { UserDirectory } from '../../../user-account';
import { ConversationNotFound, NotYourConversation } from '../../domain/agent-chat.errors';
import { MessagingRepository } from '../messaging.repository';
import type { ConversationReading } from '../read-conversation/read-conversation.use-case';
import { readTranscript } from '../read-conversation/read-transcript';
import type { TranscriptPage } from '../../domain/transcript-page';

/**
 * The agent reads a chat of its own (assigned to it, or ended while it had it) with its
 * transcript, page by page: what the customer wrote, before the assignment too. A chat of another agent,
 * or one it handed on, is NotYourConversation, as for complete and transfer.
 */
@Injectable()
export class ReadAgentChat {
  constructor(private readonly conversations: MessagingRepository, private readonly users: UserDirectory) {}

  async execute(conversationId: string, agentId: string, page: TranscriptPage): Promise<ConversationReading> {
    const conversation = await this.conversations.details(conversationId.toLowerCase());
    if (!conversation) throw new ConversationNotFound(conversationId);
    if (conversation.agentId !== agentId) throw new NotYourConversation(conversationId);
    return readTranscript(this.conversations, this.users, conversation, page);
  }
}
