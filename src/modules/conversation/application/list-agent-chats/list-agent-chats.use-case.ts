import { Injectable } from '@nestjs/common';
import { AgentChatRepository, type AssignedChat } from '../agent-chat.repository';

/** The chats assigned to the agent and still open, oldest assignment first. */
@Injectable()
export class ListAgentChats {
  constructor(private readonly chats: AgentChatRepository) {}

  execute(agentId: string): Promise<AssignedChat[]> {
    return this.chats.listAssigned(agentId);
  }
}
