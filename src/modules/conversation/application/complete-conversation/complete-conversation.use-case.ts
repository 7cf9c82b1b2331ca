import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { retryOnConflict } from '../../../../platform/database/transaction-retry';
import { Outbox } from '../../../../platform/outbox/outbox';
import { ConversationNotFound, ConversationStateConflict } from '../../domain/conversation.errors';
import { ConversationCompletion } from '../conversation-completion';
import { MessagingRepository } from '../messaging.repository';

export interface CompletedConversation {
  messageId: string;
  completedAt: Date;
}

/**
 * The customer side ends a conversation: its client application sends `complete` (agents end
 * chats through CompleteChat). Under the activity lock the conversation must be the
 * application's and not ended, then ConversationCompletion ends it, so `complete` is recorded
 * exactly once and after every other event (nothing can be sent into a completed
 * conversation). A second completion is a ConversationStateConflict.
 */
@Injectable()
export class CompleteConversation {
  constructor(
    private readonly conversations: MessagingRepository,
    private readonly completion: ConversationCompletion,
    private readonly outbox: Outbox,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  /** `beforeCommit` is the caller's work that must commit with the completion or not at all; it runs last in the transaction. */
  async execute(conversationId: string, clientApplicationId: string, beforeCommit?: (completed: CompletedConversation) => Promise<void>): Promise<CompletedConversation> {
    const { completed, announce } = await retryOnConflict(() =>
      this.txHost.withTransaction(async () => {
        const c = await this.conversations.lock(conversationId);
        if (!c || c.clientApplicationId !== clientApplicationId) throw new ConversationNotFound(conversationId);
        if (c.state === 'completed' || c.ended) throw new ConversationStateConflict(conversationId, c.state, 'complete it again');
        // The client application hears of the end whoever caused it; its own customer included.
        const { recorded, messages } = await this.completion.complete(
          { activityId: c.activityId, conversationId, assignedAgentId: c.state === 'assigned' ? c.agentId : null },
          { type: 'system' },
        );
        const completed: CompletedConversation = { messageId: recorded.messageId, completedAt: recorded.occurredAt };
        await beforeCommit?.(completed);
        return { completed, announce: messages };
      }),
    );
    this.outbox.dispatch(announce);
    return completed;
  }
}
