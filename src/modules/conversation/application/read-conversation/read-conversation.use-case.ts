import { Injectable } from '@nestjs/common';
import type { ClientApplicationPrincipal } from '../../../client-application';
import { UserDirectory } from '../../../user-account';
import { ConversationNotFound } from '../../domain/conversation.errors';
import { MessagingRepository, type ConversationDetails } from '../messaging.repository';

export interface ConversationReading {
  conversation: ConversationDetails;
  /** Display names of the agents in it, by id. */
  agentNames: Map<string, string>;
}

/** A client application reads one of its own conversations with its transcript; any other is "not found". */
@Injectable()
export class ReadConversation {
  constructor(private readonly conversations: MessagingRepository, private readonly users: UserDirectory) {}

  async execute(conversationId: string, principal: ClientApplicationPrincipal): Promise<ConversationReading> {
    const conversation = await this.conversations.details(conversationId.toLowerCase());
    if (!conversation || conversation.clientApplicationId !== principal.clientApplicationId) throw new ConversationNotFound(conversationId);
    const agentIds = conversation.messages.flatMap((m) => (m.sender.type === 'user' ? [m.sender.agentId] : []));
    if (conversation.agentId !== null) agentIds.push(conversation.agentId);
    return { conversation, agentNames: await this.users.displayNames(agentIds) };
  }
}
