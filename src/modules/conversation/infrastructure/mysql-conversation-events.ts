import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { randomUUID } from 'node:crypto';
import { Outbox } from '../../../platform/outbox/outbox';
import { JOB_DELIVER_EVENT, WEBHOOK_QUEUE, deliverEventJobId } from '../../../platform/queue/queues';
import { ConversationEvents, type RecordedEvent } from '../application/conversation-events';
import { reachesClientApplication, type ConversationEvent } from '../domain/conversation-event';

@Injectable()
export class MysqlConversationEvents extends ConversationEvents {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>, private readonly outbox: Outbox) {
    super();
  }

  async record(event: ConversationEvent): Promise<RecordedEvent> {
    const tx = this.txHost.tx;
    const rows: { typing_notifications: number; client_application_id: string; correlation_id: string }[] = await tx.query(
      `SELECT a.typing_notifications, c.client_application_id, c.correlation_id
         FROM conversation c JOIN activity a ON a.id = c.activity_id WHERE c.id = ?`,
      [event.conversationId],
    );
    if (rows.length === 0) throw new Error(`conversation ${event.conversationId} does not exist`);
    const messageId = randomUUID();
    await tx.query(
      'INSERT INTO message (id, conversation_id, sender_type, agent_id, type, content, created_at) VALUES (?, ?, ?, ?, ?, ?, NOW(3))',
      [messageId, event.conversationId, event.sender.type, event.sender.type === 'user' ? event.sender.agentId : null, event.type, event.content ?? null],
    );
    const notified = reachesClientApplication(event, Number(rows[0].typing_notifications) === 1);
    let outboxMessage: RecordedEvent['outboxMessage'];
    if (notified) {
      outboxMessage = await this.outbox.add({
        queue: WEBHOOK_QUEUE,
        jobName: JOB_DELIVER_EVENT,
        jobId: deliverEventJobId(messageId),
        payload: { messageId, conversationId: event.conversationId, clientApplicationId: String(rows[0].client_application_id), correlationId: rows[0].correlation_id },
      });
    }
    return { messageId, notified, outboxMessage };
  }
}
