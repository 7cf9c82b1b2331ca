import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { randomUUID } from 'node:crypto';
import { CallbackOutbox } from '../../webhook';
import { ConversationEvents, type LockedConversation, type RecordedEvent } from '../application/conversation-events';
import { keptInTranscript, reachesClientApplication, type ConversationEvent } from '../domain/conversation-event';
import { toLockedConversation } from './locked-conversation.row';
import { preparedQuery } from '../../../platform/database/prepared-query';

@Injectable()
export class MysqlConversationEvents extends ConversationEvents {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>, private readonly callbacks: CallbackOutbox) {
    super();
  }

  async record(event: ConversationEvent, locked?: LockedConversation): Promise<RecordedEvent> {
    const tx = this.txHost.tx;
    const conversation = locked ?? (await this.lock(event.conversationId));
    const messageId = randomUUID();
    const occurredAt = new Date();
    if (keptInTranscript(event)) {
      await preparedQuery(
        tx,
        'INSERT INTO message (id, conversation_id, sender_type, agent_id, type, content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [messageId, event.conversationId, event.sender.type, event.sender.type === 'user' ? event.sender.agentId : null, event.type, event.content ?? null, occurredAt],
      );
    }
    const sender = event.sender;
    if (sender.type === 'customer' || !reachesClientApplication(event, conversation.typingNotifications)) {
      return { messageId, notified: false, occurredAt, correlationId: conversation.correlationId };
    }
    const outboxMessage = await this.callbacks.enqueue({
      messageId,
      conversationId: event.conversationId,
      clientApplicationId: conversation.clientApplicationId,
      correlationId: conversation.correlationId,
      type: event.type,
      content: event.content ?? null,
      sender,
      occurredAt,
    });
    const correlationId = conversation.correlationId;
    return outboxMessage ? { messageId, notified: true, occurredAt, outboxMessage, correlationId } : { messageId, notified: false, occurredAt, correlationId };
  }

  /**
   * The activity row is locked so that events of one conversation commit one after the other,
   * in transcript order. It is locked by primary key, found through the conversation: a
   * locking read on the unique conversation_id index would also lock the gap before it and
   * hold up the inserts of new starts.
   */
  private async lock(conversationId: string): Promise<LockedConversation> {
    const tx = this.txHost.tx;
    const conversation: { activity_id: string; client_application_id: string; correlation_id: string }[] = await tx.query(
      'SELECT activity_id, client_application_id, correlation_id FROM conversation WHERE id = ?',
      [conversationId],
    );
    const activity: { typing_notifications: number }[] = conversation.length === 0
      ? []
      : await tx.query('SELECT typing_notifications FROM activity WHERE id = ? FOR UPDATE', [conversation[0].activity_id]);
    if (activity.length === 0) throw new Error(`conversation ${conversationId} does not exist`);
    return toLockedConversation({ ...conversation[0], typing_notifications: activity[0].typing_notifications });
  }
}
