import { Injectable } from '@nestjs/common';
import { AgentChatRepository, type AssignedChat } from '../agent-chat.repository';
import { CustomerTyping } from '../customer-typing';

export interface ListedChat extends AssignedChat {
  /** Since when the chat's customer is typing, while it is. */
  customerTyping?: Date;
}

/** The chats assigned to the agent and still open, oldest assignment first, each with its customer's typing. */
@Injectable()
export class ListAgentChats {
  constructor(private readonly chats: AgentChatRepository, private readonly typing: CustomerTyping) {}

  async execute(agentId: string): Promise<ListedChat[]> {
    const chats = await this.chats.listAssigned(agentId);
    // One look-up for the whole list.
    const typing = await this.typing.typingSince(chats.map((c) => c.conversationId));
    return chats.map((c) => {
      const since = typing.get(c.conversationId);
      return since === undefined ? c : { ...c, customerTyping: since };
    });
  }
}
