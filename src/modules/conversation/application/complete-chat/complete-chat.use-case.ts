import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { retryOnConflict } from '../../../../platform/database/transaction-retry';
import { Outbox } from '../../../../platform/outbox/outbox';
import { checkAgentMayAct } from '../../domain/agent-chat';
import { AgentChatRepository } from '../agent-chat.repository';
import { ConversationCompletion } from '../conversation-completion';
import { CustomerTyping } from '../customer-typing';

export interface CompletedChat {
  conversationId: string;
  state: 'completed';
}

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
    private readonly typing: CustomerTyping,
  ) {}

  /**
   * `beforeCommit` is the caller's work that must commit with the completion or not at all (the
   * answer recorded under the request's Idempotency-Key); it runs last in the transaction.
   */
  async execute(command: CompleteChatCommand, beforeCommit?: (done: CompletedChat) => Promise<void>): Promise<CompletedChat> {
    const { done, messages } = await retryOnConflict(() =>
      this.txHost.withTransaction(async () => {
        const chat = checkAgentMayAct(await this.chats.lockChat(command.conversationId), command.conversationId, command.agentId, 'completed');
        const { messages } = await this.completion.complete(
          { activityId: chat.activityId, conversationId: chat.conversationId, assignedAgentId: command.agentId },
          { type: 'user', agentId: command.agentId },
        );
        // The stored id, as the start answered it: the path may give it in capitals.
        const done: CompletedChat = { conversationId: chat.conversationId, state: 'completed' };
        await beforeCommit?.(done);
        return { done, messages };
      }),
    );
    this.outbox.dispatch(messages);
    await this.typing.stopped(done.conversationId);
    return done;
  }
}
