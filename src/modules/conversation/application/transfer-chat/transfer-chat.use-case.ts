import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClaimNamedAgent, ReleaseAgentCapacity, RequestQueueDrain } from '../../../agent';
import { retryOnConflict } from '../../../../platform/database/transaction-retry';
import { Outbox, type StoredOutboxMessage } from '../../../../platform/outbox/outbox';
import { checkAgentMayAct, type AgentChat } from '../../domain/agent-chat';
import type { TransferChatCommand } from '../../domain/transfer-chat.command';
import { AgentChatRepository } from '../agent-chat.repository';
import { ConversationEvents } from '../conversation-events';

export interface TransferredChat {
  conversationId: string;
  state: 'waiting' | 'assigned';
  queueId: string;
  agentId: string | null;
}

/**
 * The agent hands a chat on. To a queue: the chat waits there again (its wait counted
 * from now) and the queue is drained. To an agent: that agent's slot is claimed with the
 * same conditional update as any assignment, or the transfer is refused and nothing
 * changes. Either way the first agent's slot is freed and 'transfer' is recorded; a
 * transfer to an agent is also an 'assigned' of that agent.
 */
@Injectable()
export class TransferChat {
  constructor(
    private readonly chats: AgentChatRepository,
    private readonly claimNamedAgent: ClaimNamedAgent,
    private readonly releaseAgent: ReleaseAgentCapacity,
    private readonly requestQueueDrain: RequestQueueDrain,
    private readonly events: ConversationEvents,
    private readonly outbox: Outbox,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  /**
   * `beforeCommit` is the caller's work that must commit with the transfer or not at all (the
   * answer recorded under the request's Idempotency-Key); it runs last in the transaction.
   */
  async execute(command: TransferChatCommand, beforeCommit?: (transferred: TransferredChat) => Promise<void>): Promise<TransferredChat> {
    const { result, messages } = await retryOnConflict(() =>
      this.txHost.withTransaction(async () => {
        const chat = checkAgentMayAct(await this.chats.lockChat(command.conversationId), command.conversationId, command.fromAgentId, 'transferred');
        const out: StoredOutboxMessage[] = [];
        const result = command.target.kind === 'queue' ? await this.toQueue(chat, command.target.queueId, out) : await this.toAgent(chat, command.target.agentId);
        out.push(...(await this.releaseAgent.execute(command.fromAgentId)));
        await this.record(out, chat.conversationId, 'transfer', command.fromAgentId, command.description);
        if (result.agentId !== null) await this.record(out, chat.conversationId, 'assigned', result.agentId);
        await beforeCommit?.(result);
        return { result, messages: out };
      }),
    );
    this.outbox.dispatch(messages);
    return result;
  }

  private async toQueue(chat: AgentChat, queueId: string, out: StoredOutboxMessage[]): Promise<TransferredChat> {
    out.push(...(await this.requestQueueDrain.execute(queueId)));
    await this.chats.requeue(chat.activityId, queueId);
    return { conversationId: chat.conversationId, state: 'waiting', queueId, agentId: null };
  }

  private async toAgent(chat: AgentChat, agentId: string): Promise<TransferredChat> {
    await this.claimNamedAgent.execute(agentId);
    await this.chats.reassign(chat.activityId, agentId);
    return { conversationId: chat.conversationId, state: 'assigned', queueId: chat.queueId, agentId };
  }

  private async record(out: StoredOutboxMessage[], conversationId: string, type: 'transfer' | 'assigned', agentId: string, content?: string): Promise<void> {
    const recorded = await this.events.record({ conversationId, type, content, sender: { type: 'user', agentId } });
    if (recorded.outboxMessage) out.push(recorded.outboxMessage);
  }
}
