import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ReleaseAgentCapacity } from '../../../agent';
import { retryOnConflict } from '../../../../platform/database/transaction-retry';
import { Outbox, type StoredOutboxMessage } from '../../../../platform/outbox/outbox';
import { ConversationNotFound, ConversationStateConflict, NotYourConversation } from '../../domain/conversation.errors';
import { ConversationEvents } from '../conversation-events';
import { MessagingRepository } from '../messaging.repository';

/** Who ends the conversation: the client application for its customer, or the assigned agent. */
export type CompletedBy = { type: 'customer'; clientApplicationId: string } | { type: 'user'; agentId: string };

export interface CompletedConversation {
  messageId: string;
  completedAt: Date;
}

/**
 * The one way a conversation ends, whoever ends it. Under the activity lock: the state
 * becomes completed, the agent's slot is given back, and `complete` is recorded, so it is
 * recorded exactly once and after every other event (nothing can be sent into a
 * completed conversation). A second completion is a ConversationStateConflict.
 */
@Injectable()
export class CompleteConversation {
  constructor(
    private readonly conversations: MessagingRepository,
    private readonly events: ConversationEvents,
    private readonly releaseAgent: ReleaseAgentCapacity,
    private readonly outbox: Outbox,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  async execute(conversationId: string, by: CompletedBy): Promise<CompletedConversation> {
    const { completed, announce } = await retryOnConflict(() =>
      this.txHost.withTransaction(async () => {
        const c = await this.conversations.lock(conversationId);
        if (!c || (by.type === 'customer' && c.clientApplicationId !== by.clientApplicationId)) throw new ConversationNotFound(conversationId);
        if (by.type === 'user' && c.agentId !== by.agentId) throw new NotYourConversation(conversationId);
        if (c.state === 'completed') throw new ConversationStateConflict(conversationId, c.state, 'complete it again');
        await this.conversations.markCompleted(c.activityId);
        // The freed slot goes to the oldest waiting chat of the agent's queues (drain jobs).
        const drains: StoredOutboxMessage[] = c.state === 'assigned' && c.agentId !== null ? await this.releaseAgent.execute(c.agentId) : [];
        // The client application hears of the end whoever caused it; its own customer included.
        const recorded = await this.events.record({ conversationId, type: 'complete', sender: by.type === 'user' ? { type: 'user', agentId: by.agentId } : { type: 'system' } });
        return { completed: { messageId: recorded.messageId, completedAt: recorded.occurredAt }, announce: [...drains, ...(recorded.outboxMessage ? [recorded.outboxMessage] : [])] };
      }),
    );
    this.outbox.dispatch(announce);
    return completed;
  }
}
