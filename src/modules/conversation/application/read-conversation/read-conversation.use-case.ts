import { Injectable } from '@nestjs/common';
import type { ClientApplicationPrincipal } from '../../../client-application';
import { UserDirectory } from '../../../user-account';
import { ConversationNotFound } from '../../domain/conversation.errors';
import type { TranscriptPage } from '../../domain/transcript-page';
import { MessagingRepository, type ConversationDetails, type TranscriptSlice } from '../messaging.repository';
import { readTranscript } from './read-transcript';

export interface ConversationReading {
  conversation: ConversationDetails;
  /** The page of the transcript asked for. */
  transcript: TranscriptSlice;
  page: TranscriptPage;
  /** Display names of the agents in it, by id. */
  agentNames: Map<string, string>;
  /** Since when the customer is typing: the agent's reading of an assigned chat only, while it types. */
  customerTyping?: Date;
}

/** A client application reads one of its own conversations with a page of its transcript; any other is "not found". */
@Injectable()
export class ReadConversation {
  constructor(private readonly conversations: MessagingRepository, private readonly users: UserDirectory) {}

  async execute(conversationId: string, principal: ClientApplicationPrincipal, page: TranscriptPage): Promise<ConversationReading> {
    const conversation = await this.conversations.details(conversationId.toLowerCase());
    if (!conversation || conversation.clientApplicationId !== principal.clientApplicationId) throw new ConversationNotFound(conversationId);
    return readTranscript(this.conversations, this.users, conversation, page);
  }
}
