import { Injectable } from '@nestjs/common';
import type { AgentStatus } from '../../domain/agent-availability';
import { checkChatLimit } from '../../domain/chat-limit';
import { AgentStatusChange } from '../agent-status-change';
import { AgentRepository } from '../agent.repository';

export interface SetChatLimitCommand {
  agentId: string;
  maxChats: number;
}

/**
 * Changes how many chats the agent takes at once. Checked against the open chats under
 * the agent's row lock, so a concurrent assignment cannot slip in between.
 */
@Injectable()
export class SetChatLimit {
  constructor(private readonly change: AgentStatusChange, private readonly agents: AgentRepository) {}

  execute(command: SetChatLimitCommand): Promise<AgentStatus> {
    return this.change.apply(command.agentId, async (current) => {
      checkChatLimit(command.maxChats, current.activeChats);
      if (current.maxChats !== command.maxChats) await this.agents.setMaxChats(command.agentId, command.maxChats);
    });
  }
}
