import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Outbox, type StoredOutboxMessage } from '../../../platform/outbox/outbox';
import { ClientApplicationDirectory } from '../../client-application';
import { JOB_DELIVER_EVENT, WEBHOOK_QUEUE, deliverEventJobId, type DeliverEventJob } from '../../../platform/queue/queues';
import { CallbackOutbox, type CallbackEvent } from '../application/callback-outbox';

/**
 * The event's snapshot waits in webhook_delivery; the outbox job only wakes the
 * application's delivery, which sends whatever is pending, in order.
 */
@Injectable()
export class MysqlCallbackOutbox extends CallbackOutbox {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly outbox: Outbox,
    private readonly directory: ClientApplicationDirectory,
  ) {
    super();
  }

  async enqueue(e: CallbackEvent): Promise<StoredOutboxMessage | undefined> {
    // Through the configuration cache: callback settings changes announce the application as
    // changed, so a URL set or removed applies at once where it was changed, within
    // CONFIG_CACHE_TTL_MS elsewhere.
    if (!(await this.directory.application(e.clientApplicationId))?.hasCallbackUrl) return undefined;
    await this.txHost.tx.query(
      `INSERT INTO webhook_delivery (message_id, client_application_id, conversation_id, correlation_id, type, content, sender_type, agent_id, occurred_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [e.messageId, e.clientApplicationId, e.conversationId, e.correlationId, e.type, e.content, e.sender.type, e.sender.type === 'user' ? e.sender.agentId : null, e.occurredAt],
    );
    const payload: DeliverEventJob = { messageId: e.messageId, conversationId: e.conversationId, clientApplicationId: e.clientApplicationId, correlationId: e.correlationId };
    return this.outbox.add({ queue: WEBHOOK_QUEUE, jobName: JOB_DELIVER_EVENT, jobId: deliverEventJobId(e.messageId), payload: { ...payload } });
  }
}
