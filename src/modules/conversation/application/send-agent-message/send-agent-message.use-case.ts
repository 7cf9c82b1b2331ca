import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppError } from '../../../../platform/errors/app-error';
import { retryOnConflict } from '../../../../platform/database/transaction-retry';
import { Outbox } from '../../../../platform/outbox/outbox';
import type { ConversationEventType } from '../../domain/conversation-event';
// The agent side's not-found and not-yours (agent-chat.errors): the customer side's not-found speaks of client applications.
import { ConversationNotFound, NotYourConversation } from '../../domain/agent-chat.errors';
import { ConversationStateConflict } from '../../domain/conversation.errors';
import { agentMessageAsDelivered } from '../../domain/message-content';
import type { AgentMessageType, SendMessageCommand } from '../../domain/send-message.command';
import { ConversationEvents } from '../conversation-events';
import { givingBackIfRefused, MessageThrottle } from '../message-throttle';
import { MessagingRepository, type ConversationParticipants } from '../messaging.repository';
import type { SentMessage } from '../send-customer-message/send-customer-message.use-case';

export interface SentAgentMessage extends SentMessage {
  /** False for typing the client application did not ask for (sendTypingNotification=no). */
  notified: boolean;
}

/**
 * The assigned agent writes or types to the customer. The text is stored as the client
 * will receive it (HTML for rich-text clients, plain text otherwise) and goes out through
 * the application's webhook after commit.
 */
@Injectable()
export class SendAgentMessage {
  constructor(
    private readonly conversations: MessagingRepository,
    private readonly events: ConversationEvents,
    private readonly outbox: Outbox,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly throttle: MessageThrottle,
  ) {}

  /**
   * `beforeCommit` is the caller's work that must commit with the message or not at all (the
   * answer recorded under the request's Idempotency-Key); it runs last in the transaction.
   */
  async execute(command: SendMessageCommand<AgentMessageType>, agentId: string, beforeCommit?: (sent: SentAgentMessage) => Promise<void>): Promise<SentAgentMessage> {
    const conversationId = command.conversationId;
    // Checked before the message is counted, so that one refused spends no allowance; checked
    // again under the lock, as the chat may be transferred or end meanwhile, and a refusal
    // there gives the allowance back (givingBackIfRefused). What is delivered
    // depends on the request and on whether the client shows rich text, which the start set
    // for good: it is settled here, before counting, and not again.
    const { type, content } = delivered(command, mayWriteInto(await this.conversations.participants(conversationId), conversationId, agentId));
    const spent = await this.throttle.agent(agentId, command);
    const { sent, announce } = await givingBackIfRefused(spent, (underLock) =>
      retryOnConflict(() =>
        this.txHost.withTransaction(async () => {
          const locked = await this.conversations.lock(conversationId);
          underLock(() => mayWriteInto(locked, conversationId, agentId));
          const recorded = await this.events.record({ conversationId, type, content, sender: { type: 'user', agentId } });
          const message: SentAgentMessage = { messageId: recorded.messageId, conversationId, type, occurredAt: recorded.occurredAt, notified: recorded.notified };
          await beforeCommit?.(message);
          return { sent: message, announce: recorded.outboxMessage };
        }),
      ),
    );
    if (announce) this.outbox.dispatch([announce]);
    return sent;
  }
}

/** The message as the client receives it; HTML left without text for a plain-text client is refused. */
function delivered(command: SendMessageCommand<AgentMessageType>, c: ConversationParticipants): { type: ConversationEventType; content?: string } {
  if (command.type !== 'text/plain' && command.type !== 'text/html') return { type: command.type };
  const message = agentMessageAsDelivered(command.type, command.content ?? '', c.richText);
  if (message.content.length === 0) throw new AppError('BodyInvalid', 'content: has no text once the HTML is removed', 'content', { field: 'content' });
  return message;
}

/** Only the agent's own chat, and only while it is assigned. */
function mayWriteInto(c: ConversationParticipants | undefined, conversationId: string, agentId: string): ConversationParticipants {
  if (!c) throw new ConversationNotFound(conversationId);
  if (c.agentId !== agentId) throw new NotYourConversation(conversationId);
  if (c.state !== 'assigned') throw new ConversationStateConflict(conversationId, c.state, 'send into it');
  return c;
}
