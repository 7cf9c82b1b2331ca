import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DataSource } from 'typeorm';
import { QueueDispatcher } from './queue-dispatcher';
import { Outbox, type OutboxMessage, type StoredOutboxMessage } from './outbox';
import { preparedQuery } from '../database/prepared-query';

/** How long relayed marks gather before one UPDATE writes them (bench/lib/floor.js does the same). */
export const ACK_FLUSH_MS = 50;

@Injectable()
export class MysqlOutbox extends Outbox implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private pendingAcks: string[] = [];
  /** Adds not yet answered: a stop right after a start's answer waits for them, so that their marks are written too. */
  private readonly adding = new Set<Promise<void>>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly db: DataSource,
    private readonly queues: QueueDispatcher,
  ) {
    super();
  }

  async add(message: OutboxMessage): Promise<StoredOutboxMessage> {
    const result = await preparedQuery<{ insertId: number | string }>(
      this.txHost.tx,
      'INSERT INTO outbox (topic, job_id, payload, created_at) VALUES (?, ?, ?, NOW(3))',
      [`${message.queue}/${message.jobName}`, message.jobId, JSON.stringify(message.payload)],
    );
    return { ...message, id: String(result.insertId) };
  }

  dispatch(messages: StoredOutboxMessage[]): void {
    for (const message of messages) {
      // Redis down: leave the row to the relay rather than pile commands up in ioredis' offline queue.
      if (!this.queues.isConnected(message.queue)) continue;
      const adding = this.queues.add(message).then(
        () => this.acknowledge(message.id),
        (err: unknown) => this.logger.warn({ jobId: message.jobId, err: (err as Error).message }, 'fast path failed; the relay will deliver it'),
      );
      this.adding.add(adding);
      void adding.finally(() => this.adding.delete(adding));
    }
  }

  /** Relayed marks are batched: one UPDATE per flush instead of one per start. */
  private acknowledge(id: string): void {
    this.pendingAcks.push(id);
    this.flushTimer ??= setTimeout(() => void this.flush(), ACK_FLUSH_MS);
  }

  private async flush(): Promise<void> {
    this.flushTimer = undefined;
    const ids = this.pendingAcks;
    this.pendingAcks = [];
    if (ids.length === 0) return;
    try {
      await this.db.query(`UPDATE outbox SET relayed_at = NOW(3) WHERE id IN (${ids.map(() => '?').join(',')}) AND relayed_at IS NULL`, ids);
    } catch (err) {
      // Unmarked rows are relayed again; the jobs are idempotent, so this costs only time.
      this.logger.warn({ count: ids.length, err: (err as Error).message }, 'could not mark outbox rows relayed');
    }
  }

  /** Before the database closes: marks what the fast path delivered, so the relay does not deliver it again. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.adding);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    await this.flush();
  }
}
