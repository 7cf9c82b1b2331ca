import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Outbox, type StoredOutboxMessage } from '../../../platform/outbox/outbox';
import { TtlCache } from '../../../platform/cache/ttl-cache';
import { CacheInvalidation } from '../../../platform/cache/cache-invalidation';
import { AppConfig } from '../../../platform/config/app-config';
import { CLIENT_APPLICATION_CACHE_SCOPE } from '../../client-application';
import { JOB_DELIVER_EVENT, WEBHOOK_QUEUE, deliverEventJobId, type DeliverEventJob } from '../../../platform/queue/queues';
import { CallbackOutbox, type CallbackEvent } from '../application/callback-outbox';

/**
 * The event's snapshot waits in webhook_delivery; the outbox job only wakes the
 * application's delivery, which sends whatever is pending, in order.
 */
@Injectable()
export class MysqlCallbackOutbox extends CallbackOutbox {
  /** Whether each application has a callback URL, as configuration is cached (CONFIG_CACHE_TTL_MS). */
  private readonly hasUrl: TtlCache<boolean>;

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly outbox: Outbox,
    config: AppConfig,
    invalidation: CacheInvalidation,
  ) {
    super();
    this.hasUrl = new TtlCache(config.CONFIG_CACHE_TTL_MS);
    // Callback settings changes announce the application as changed: a URL set or removed
    // applies at once in the process that made the change, within the TTL elsewhere.
    if (config.CONFIG_CACHE_TTL_MS > 0) invalidation.subscribe(CLIENT_APPLICATION_CACHE_SCOPE, (id) => this.hasUrl.invalidate(id));
  }

  async enqueue(e: CallbackEvent): Promise<StoredOutboxMessage | undefined> {
    if (!(await this.hasUrl.get(e.clientApplicationId, () => this.callbackUrlSet(e.clientApplicationId)))) return undefined;
    await this.txHost.tx.query(
      `INSERT INTO webhook_delivery (message_id, client_application_id, conversation_id, correlation_id, type, content, sender_type, agent_id, occurred_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [e.messageId, e.clientApplicationId, e.conversationId, e.correlationId, e.type, e.content, e.sender.type, e.sender.type === 'user' ? e.sender.agentId : null, e.occurredAt],
    );
    const payload: DeliverEventJob = { messageId: e.messageId, conversationId: e.conversationId, clientApplicationId: e.clientApplicationId, correlationId: e.correlationId };
    return this.outbox.add({ queue: WEBHOOK_QUEUE, jobName: JOB_DELIVER_EVENT, jobId: deliverEventJobId(e.messageId), payload: { ...payload } });
  }

  private async callbackUrlSet(clientApplicationId: string): Promise<boolean> {
    const rows: { set: number }[] = await this.txHost.tx.query('SELECT callback_url IS NOT NULL AS `set` FROM client_application WHERE id = ?', [clientApplicationId]);
    return rows.length === 1 && Number(rows[0].set) === 1;
  }
}
