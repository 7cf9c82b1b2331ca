import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { randomUUID } from 'node:crypto';
import { DeliveryRepository, type PendingBatch, type SettledState } from '../application/delivery.repository';
import type { PendingEvent } from '../domain/callback-message';

interface EventRow {
  seq: string;
  message_id: string;
  conversation_id: string;
  correlation_id: string;
  type: string;
  content: string | null;
  sender_type: 'user' | 'system';
  agent_id: string | null;
  occurred_at: Date;
  attempts: number;
}

const EVENT_COLUMNS = 'seq, message_id, conversation_id, correlation_id, type, content, sender_type, agent_id, occurred_at, attempts';
/**
 * Active applications that no worker is delivering to and no retry is waiting for, with a pending
 * event. Read from the applications, each probed for one pending event (ix_webhook_delivery_state
 * (state, client_application_id)), so that a sweep costs a few rows per application whatever the
 * backlog: a scan of the pending events read every one of them at every sweep, the whole backlog of
 * an application whose receiver is down (its retry waiting) or that is being delivered to. A
 * scalar subquery, as MariaDB turns an EXISTS into a semi-join that reads every pending event.
 */
export const IDLE_WITH_PENDING = `SELECT ca.id FROM client_application ca
  LEFT JOIN webhook_dispatch w ON w.client_application_id = ca.id
  WHERE ca.callback_state = 'active'
    AND (w.client_application_id IS NULL
         OR ((w.lease_until IS NULL OR w.lease_until < NOW(3)) AND (w.retry_at IS NULL OR w.retry_at <= NOW(3))))
    AND (SELECT d.seq FROM webhook_delivery d WHERE d.state = 'pending' AND d.client_application_id = ca.id LIMIT 1) IS NOT NULL
  ORDER BY ca.id`;
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',');
/** `last_result` is a VARCHAR(255): a longer account of an attempt is cut to it, not refused. */
const lastResult = (result: string) => result.slice(0, 255);

@Injectable()
export class MysqlDeliveryRepository extends DeliveryRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  async nextBatch(clientApplicationId: string, max: number): Promise<PendingBatch | undefined> {
    const tx = this.txHost.tx;
    const open: { batch_id: string | null }[] = await tx.query('SELECT batch_id FROM webhook_dispatch WHERE client_application_id = ?', [clientApplicationId]);
    const openId = open[0]?.batch_id;
    if (openId) {
      const rows: EventRow[] = await tx.query(
        `SELECT ${EVENT_COLUMNS} FROM webhook_delivery WHERE batch_id = ? AND state = 'pending' ORDER BY seq`,
        [openId],
      );
      if (rows.length > 0) return { clientApplicationId, batchId: openId, events: rows.map(toEvent), attempts: attemptsOf(rows) };
    }
    // Every pending event, whatever batch it carries: the open batch is settled, so a batch id
    // left on an event is one the application's row no longer names (a worker that stalled
    // past its lease between the two updates below tagged it), and it would wait forever.
    const rows: EventRow[] = await tx.query(
      `SELECT ${EVENT_COLUMNS} FROM webhook_delivery
        WHERE client_application_id = ? AND state = 'pending' ORDER BY seq LIMIT ?`,
      [clientApplicationId, max],
    );
    if (rows.length === 0) return undefined;
    const batchId = randomUUID();
    // The application's row first: if the process dies in between, no event carries a
    // batch id that nextBatch would not look for, so none is stranded.
    await tx.query('UPDATE webhook_dispatch SET batch_id = ? WHERE client_application_id = ?', [batchId, clientApplicationId]);
    await tx.query(`UPDATE webhook_delivery SET batch_id = ? WHERE seq IN (${placeholders(rows.length)})`, [batchId, ...rows.map((r) => r.seq)]);
    return { clientApplicationId, batchId, events: rows.map(toEvent), attempts: attemptsOf(rows) };
  }

  async settle(batch: PendingBatch, state: SettledState, result: string): Promise<void> {
    const seqs = batch.events.map((e) => e.seq);
    await this.txHost.tx.query(
      `UPDATE webhook_delivery SET state = ?, attempts = attempts + ?, last_result = ?, settled_at = NOW(3)
        WHERE seq IN (${placeholders(seqs.length)}) AND state = 'pending'`,
      [state, state === 'skipped' ? 0 : 1, lastResult(result), ...seqs],
    );
    await this.txHost.tx.query('UPDATE webhook_dispatch SET batch_id = NULL WHERE client_application_id = ? AND batch_id = ?', [batch.clientApplicationId, batch.batchId]);
  }

  async noteFailedAttempt(batch: PendingBatch, result: string): Promise<void> {
    const seqs = batch.events.map((e) => e.seq);
    await this.txHost.tx.query(`UPDATE webhook_delivery SET attempts = attempts + 1, last_result = ? WHERE seq IN (${placeholders(seqs.length)})`, [lastResult(result), ...seqs]);
  }

  async dissolve(batch: PendingBatch): Promise<void> {
    await this.txHost.tx.query('UPDATE webhook_dispatch SET batch_id = NULL WHERE client_application_id = ? AND batch_id = ?', [batch.clientApplicationId, batch.batchId]);
    await this.txHost.tx.query("UPDATE webhook_delivery SET batch_id = NULL WHERE batch_id = ? AND state = 'pending'", [batch.batchId]);
  }

  async hasPending(clientApplicationId: string): Promise<boolean> {
    const rows: unknown[] = await this.txHost.tx.query("SELECT 1 FROM webhook_delivery WHERE client_application_id = ? AND state = 'pending' LIMIT 1", [clientApplicationId]);
    return rows.length > 0;
  }

  async counts(clientApplicationId: string): Promise<{ pending: number; rejected: number }> {
    const rows: { state: string; n: string }[] = await this.txHost.tx.query(
      "SELECT state, COUNT(*) AS n FROM webhook_delivery WHERE client_application_id = ? AND state IN ('pending', 'rejected') GROUP BY state",
      [clientApplicationId],
    );
    const count = (state: string) => Number(rows.find((r) => r.state === state)?.n ?? 0);
    return { pending: count('pending'), rejected: count('rejected') };
  }

  async idleWithPending(limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.txHost.tx.query(`${IDLE_WITH_PENDING} LIMIT ?`, [limit]);
    return rows.map((r) => String(r.id));
  }

  async prune(retentionHours: number, limit: number): Promise<number> {
    const result: { affectedRows: number } = await this.txHost.tx.query(
      'DELETE FROM webhook_delivery WHERE settled_at < NOW(3) - INTERVAL ? HOUR LIMIT ?',
      [retentionHours, limit],
    );
    return result.affectedRows;
  }
}

function attemptsOf(rows: readonly EventRow[]): number {
  return Math.max(...rows.map((r) => Number(r.attempts)));
}

function toEvent(r: EventRow): PendingEvent {
  return {
    seq: String(r.seq),
    messageId: r.message_id,
    conversationId: r.conversation_id,
    correlationId: r.correlation_id,
    type: r.type,
    content: r.content,
    sender: r.sender_type === 'user' && r.agent_id !== null ? { type: 'user', agentId: String(r.agent_id) } : { type: 'system' },
    occurredAt: new Date(r.occurred_at),
  };
}
