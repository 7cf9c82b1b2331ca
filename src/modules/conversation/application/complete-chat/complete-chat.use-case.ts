import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ReleaseAgentCapacity } from '../../../agent';
import { retryOnConflict } from '../../../../platform/database/transaction-retry';
import { Outbox, type StoredOutboxMessage } from '../../../../platform/outbox/outbox';
import { checkAgentMayAct } from '../../domain/agent-chat';
import { AgentChatRepository } from '../agent-chat.repository';
import { ConversationEvents } from '../conversation-events';

export interface CompleteChatCommand {
  conversationId: string;
  agentId: string;
}

/**
 * The agent ends a chat: completed, its slot freed, 'complete' recorded, and the agent's
 * queues drained so the slot goes to the oldest waiting chat. Under the activity's row
 * lock the state is re-checked, so 'complete' is recorded once, and as the last event:
 * nothing acts on a completed chat afterwards.
 */
@Injectable()
export class CompleteChat {
  constructor(
    private readonly chats: AgentChatRepository,
    private readonly releaseAgent: ReleaseAgentCapacity,
    private readonly events: ConversationEvents,
    private readonly outbox: Outbox,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  async execute(command: CompleteChatCommand): Promise<{ conversationId: string; state: 'completed' }> {
    const messages = await retryOnConflict(() =>
      this.txHost.withTransaction(async () => {
        const chat = checkAgentMayAct(await this.chats.lockChat(command.conversationId), command.conversationId, command.agentId, 'completed');
        await this.chats.markCompleted(chat.activityId);
        const out: StoredOutboxMessage[] = await this.releaseAgent.execute(command.agentId);
        const recorded = await this.events.record({ conversationId: chat.conversationId, type: 'complete', sender: { type: 'user', agentId: command.agentId } });
        if (recorded.outboxMessage) out.push(recorded.outboxMessage);
        return out;
      }),
    );
    this.outbox.dispatch(messages);
    return { conversationId: command.conversationId, state: 'completed' };
  }
}
