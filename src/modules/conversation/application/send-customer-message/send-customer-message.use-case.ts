import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { ClientApplicationPrincipal } from '../../../client-application';
import { retryOnConflict } from '../../../../platform/database/transaction-retry';
import { ConversationNotFound, ConversationStateConflict } from '../../domain/conversation.errors';
import type { CustomerMessageType, SendMessageCommand } from '../../domain/send-message.command';
import { CompleteConversation, type CompletedConversation } from '../complete-conversation/complete-conversation.use-case';
import { ConversationEvents } from '../conversation-events';
import { CustomerTyping } from '../customer-typing';
import { givingBackIfRefused, MessageThrottle } from '../message-throttle';
import { MessagingRepository, type ConversationParticipants } from '../messaging.repository';

export interface SentMessage {
  messageId: string;
  conversationId: string;
  type: string;
  occurredAt: Date;
}

/**
 * The customer, through its client application, writes to the agent, types, or ends the
 * conversation. Only into the application's own conversations (any other is "not
 * found"), and only while it is open. What the customer sends is never echoed to the
 * application's webhook: the application already knows it. Typing is not written to the
 * transcript: once the send has committed, it is noted for the agent's reading (CustomerTyping),
 * and a message or the conversation's end stops it.
 */
@Injectable()
export class SendCustomerMessage {
  constructor(
    private readonly conversations: MessagingRepository,
    private readonly events: ConversationEvents,
    private readonly complete: CompleteConversation,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly throttle: MessageThrottle,
    private readonly typing: CustomerTyping,
  ) {}

  /**
   * `beforeCommit` is the caller's work that must commit with the message or not at all (the
   * answer recorded under the request's Idempotency-Key); it runs last in the transaction.
   */
  async execute(
    command: SendMessageCommand<CustomerMessageType>,
    principal: ClientApplicationPrincipal,
    beforeCommit?: (sent: SentMessage) => Promise<void>,
  ): Promise<SentMessage> {
    const conversationId = command.conversationId;
    if (command.type === 'complete') {
      const sentOf = (done: CompletedConversation): SentMessage => ({ messageId: done.messageId, conversationId, type: 'complete', occurredAt: done.completedAt });
      const done = await this.complete.execute(conversationId, principal.clientApplicationId, beforeCommit && ((d) => beforeCommit(sentOf(d))));
      await this.typing.stopped(conversationId);
      return sentOf(done);
    }
    // Checked before the message is counted, so that one refused spends no allowance; checked
    // again under the lock, as the conversation may end meanwhile, and a refusal there gives the
    // allowance back (givingBackIfRefused).
    mayReceive(await this.conversations.participants(conversationId), conversationId, principal);
    const spent = await this.throttle.customer(principal.clientApplicationId, command);
    const sent = await givingBackIfRefused(spent, (underLock) =>
      retryOnConflict(() =>
        this.txHost.withTransaction(async () => {
          const locked = await this.conversations.lock(conversationId);
          underLock(() => mayReceive(locked, conversationId, principal));
          const recorded = await this.events.record({ conversationId, type: command.type, content: command.content, sender: { type: 'customer' } });
          const sent: SentMessage = { messageId: recorded.messageId, conversationId, type: command.type, occurredAt: recorded.occurredAt };
          await beforeCommit?.(sent);
          return sent;
        }),
      ),
    );
    // After the commit, so that a refused or rolled back send changes nothing.
    if (command.type === 'startTyping') await this.typing.started(conversationId, sent.occurredAt);
    else await this.typing.stopped(conversationId);
    return sent;
  }
}

/** Only the application's own conversations (any other is "not found"), and only while open. */
function mayReceive(c: ConversationParticipants | undefined, conversationId: string, principal: ClientApplicationPrincipal): void {
  if (!c || c.clientApplicationId !== principal.clientApplicationId) throw new ConversationNotFound(conversationId);
  if (c.state !== 'waiting' && c.state !== 'assigned') throw new ConversationStateConflict(conversationId, c.state, 'send into it');
}
