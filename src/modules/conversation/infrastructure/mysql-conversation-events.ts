import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { randomUUID } from 'node:crypto';
import { CallbackOutbox } from '../../webhook';
import { ConversationEvents, type RecordedEvent } from '../application/conversation-events';
import { reachesClientApplication, type ConversationEvent } from '../domain/conversation-event';

@Injectable()
export class MysqlConversationEvents extends ConversationEvents {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>, private readonly callbacks: CallbackOutbox) {
    super();
  }

  async record(event: ConversationEvent): Promise<RecordedEvent> {
    const tx = this.txHost.tx;
    // FOR UPDATE: events of one conversation commit one after the other, in transcript order.
    // STRAIGHT_JOIN locks the activity row first, the order every caller already locks in.
    const rows: { typing_notifications: number; client_application_id: string; correlation_id: string }[] = await tx.query(
      `SELECT a.typing_notifications, c.client_application_id, c.correlation_id
         FROM activity a STRAIGHT_JOIN conversation c ON c.id = a.conversation_id WHERE a.conversation_id = ? FOR UPDATE`,
      [event.conversationId],
    );
    if (rows.length === 0) throw new Error(`conversation ${event.conversationId} does not exist`);
    const messageId = randomUUID();
    const occurredAt = new Date();
    await tx.query(
      'INSERT INTO message (id, conversation_id, sender_type, agent_id, type, content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [messageId, event.conversationId, event.sender.type, event.sender.type === 'user' ? event.sender.agentId : null, event.type, event.content ?? null, occurredAt],
    );
    const sender = event.sender;
    if (sender.type === 'customer' || !reachesClientApplication(event, Number(rows[0].typing_notifications) === 1)) {
      return { messageId, notified: false, occurredAt };
    }
    const outboxMessage = await this.callbacks.enqueue({
      messageId,
      conversationId: event.conversationId,
      clientApplicationId: String(rows[0].client_application_id),
      correlationId: rows[0].correlation_id,
      type: event.type,
      content: event.content ?? null,
      sender,
      occurredAt,
    });
    return { messageId, notified: true, occurredAt, outboxMessage };
  }
}
