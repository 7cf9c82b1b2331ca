import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { QUEUES, type QueueName } from '../queue/queues';
import { PeriodicTask } from '../scheduling/periodic-task';
import { PruneSchedule } from '../scheduling/prune-schedule';
import { QueueDispatcher } from './queue-dispatcher';

const BATCH = 500;
const RELAYED_RETENTION_HOURS = 24;
const PRUNE_EVERY_ROUNDS = 1000;
/** Relayed rows deleted by one statement, so that no DELETE holds its locks for long. */
export const PRUNE_CHUNK = 10000;
/** A Redis that stops answering mid-round must not keep the claimed rows locked for long. */
const ADD_TIMEOUT_MS = 3000;

/** Rows the fast path has not delivered within the grace period (one parameter: the grace in µs). */
const DUE = 'relayed_at IS NULL AND created_at <= NOW(3) - INTERVAL ? MICROSECOND';

interface OutboxRow { id: string; topic: string; job_id: string; payload: string | Record<string, unknown> }

/**
 * Moves committed outbox rows that the fast path did not deliver onto their queue, then
 * marks them relayed. Rows are claimed with SKIP LOCKED so several workers share the work;
 * if Redis is down the round is skipped (or, if it drops mid-round, the adds time out and the
 * transaction rolls back) and the rows wait for the next round.
 * Deterministic job ids make a second relay of the same row harmless.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private readonly task = new PeriodicTask('relay round', () => this.config.OUTBOX_POLL_INTERVAL_MS, () => this.relayOnce(), this.logger);
  private readonly pruning = new PruneSchedule(PRUNE_EVERY_ROUNDS, PRUNE_CHUNK, (limit) => this.prune(limit));

  constructor(private readonly db: DataSource, private readonly queues: QueueDispatcher, private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  /** Stops before the queues and the database close; a round in progress finishes or rolls back. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One round; returns how many rows were relayed. Public for tests and the shutdown drain. */
  async relayOnce(): Promise<number> {
    if (!QUEUES.every((q) => this.queues.isConnected(q))) return 0;
    const relayed = (await this.anyDue()) ? await this.relayDue() : 0;
    if (relayed > 0) this.logger.log({ relayed }, 'outbox rows relayed');
    const pruned = await this.pruning.onRound();
    if (pruned > 0) this.logger.log({ pruned }, 'pruned relayed outbox rows');
    return relayed;
  }

  /**
   * Whether a row is due, by a plain read. Most rounds find none (the fast path delivered
   * them), and this read is one round trip where the claiming transaction is four.
   */
  private async anyDue(): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM outbox WHERE ${DUE} LIMIT 1`, [this.config.OUTBOX_RELAY_GRACE_MS * 1000]);
    return rows.length > 0;
  }

  private relayDue(): Promise<number> {
    // READ COMMITTED: the locking scan of pending rows takes no gap lock, so the inserts of new
    // outbox rows by starts never wait for a round that is waiting on Redis.
    return this.db.transaction('READ COMMITTED', async (tx) => {
      const rows: OutboxRow[] = await tx.query(
        `SELECT id, topic, job_id, payload FROM outbox WHERE ${DUE} ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        [this.config.OUTBOX_RELAY_GRACE_MS * 1000],
      );
      if (rows.length === 0) return 0;
      await Promise.all(rows.map((row) => this.enqueue(row)));
      await tx.query(`UPDATE outbox SET relayed_at = NOW(3) WHERE id IN (${rows.map(() => '?').join(',')})`, rows.map((r) => r.id));
      return rows.length;
    });
  }

  private async enqueue(row: OutboxRow): Promise<void> {
    const [queue, jobName] = row.topic.split('/') as [QueueName, string];
    const payload = typeof row.payload === 'string' ? (JSON.parse(row.payload) as Record<string, unknown>) : row.payload;
    await this.queues.add({ queue, jobName, jobId: row.job_id, payload }, ADD_TIMEOUT_MS);
  }

  private async prune(limit: number): Promise<number> {
    const result: { affectedRows: number } = await this.db.query(
      'DELETE FROM outbox WHERE relayed_at IS NOT NULL AND relayed_at < NOW(3) - INTERVAL ? HOUR LIMIT ?',
      [RELAYED_RETENTION_HOURS, limit],
    );
    return result.affectedRows;
  }
}
