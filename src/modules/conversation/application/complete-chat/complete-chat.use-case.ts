import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { retryOnConflict } from '../../../../platform/database/transaction-retry';
import { Outbox } from '../../../../platform/outbox/outbox';
import { checkAgentMayAct } from '../../domain/agent-chat';
import { AgentChatRepository } from '../agent-chat.repository';
import { ConversationCompletion } from '../conversation-completion';

export interface CompleteChatCommand {
  conversationId: string;
  agentId: string;
}

/**
 * The agent API ends a chat: under the activity's row lock the chat must be the agent's
 * and still assigned, then ConversationCompletion ends it (completed, slot freed and
 * drained, 'complete' recorded once, as the last event).
 */
@Injectable()
export class CompleteChat {
  constructor(
    private readonly chats: AgentChatRepository,
    private readonly completion: ConversationCompletion,
    private readonly outbox: Outbox,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  async execute(command: CompleteChatCommand): Promise<{ conversationId: string; state: 'completed' }> {
    const { conversationId, messages } = await retryOnConflict(() =>
      this.txHost.withTransaction(async () => {
        const chat = checkAgentMayAct(await this.chats.lockChat(command.conversationId), command.conversationId, command.agentId, 'completed');
        const { messages } = await this.completion.complete(
          { activityId: chat.activityId, conversationId: chat.conversationId, assignedAgentId: command.agentId },
          { type: 'user', agentId: command.agentId },
        );
        return { conversationId: chat.conversationId, messages };
      }),
    );
    this.outbox.dispatch(messages);
    // The stored id, as the start answered it: the path may give it in capitals.
    return { conversationId, state: 'completed' };
  }
}
