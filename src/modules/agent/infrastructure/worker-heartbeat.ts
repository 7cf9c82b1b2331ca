import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../platform/config/app-config';

/**
 * Each worker refreshes its row every WORKER_HEARTBEAT_INTERVAL_MS; the start API counts
 * rows seen within WORKER_HEARTBEAT_TTL_MS. Kept in MySQL rather than Redis so the start
 * API keeps working while Redis is down (the outbox carries the jobs meanwhile).
 *
 * Started by the worker once its start-up has succeeded (worker.ts), not at bootstrap: a start
 * that failed later (its health port taken) exits without a graceful stop, and the row it left
 * counted a worker that never ran as live for the TTL, to the api's readiness and its starts
 * (for as long as a supervisor restarting it in a loop kept writing new ones).
 */
@Injectable()
export class WorkerHeartbeat implements BeforeApplicationShutdown {
  readonly workerId = `${hostname().slice(0, 40)}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly logger = new Logger('WorkerHeartbeat');
  private timer: NodeJS.Timeout | undefined;
  /** The refresh under way, if any: the row's removal at shutdown waits for it. */
  private beating: Promise<void> | undefined;

  constructor(private readonly db: DataSource, private readonly config: AppConfig) {}

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => {
      this.beating ??= this.beat().finally(() => (this.beating = undefined));
    }, this.config.WORKER_HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * Before the database closes, so the row goes at once instead of expiring by its TTL. After
   * the refresh under way: on another pooled connection it could land after the removal and
   * keep a stopped worker counted as running for a TTL.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.beating;
    try {
      await this.db.query('DELETE FROM worker_heartbeat WHERE worker_id = ?', [this.workerId]);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'could not remove heartbeat; it expires by its TTL');
    }
  }

  private async beat(): Promise<void> {
    try {
      await this.db.query(
        `INSERT INTO worker_heartbeat (worker_id, host, pid, started_at, seen_at) VALUES (?, ?, ?, NOW(3), NOW(3))
         ON DUPLICATE KEY UPDATE seen_at = NOW(3)`,
        [this.workerId, hostname().slice(0, 255), process.pid],
      );
      await this.db.query('DELETE FROM worker_heartbeat WHERE seen_at < NOW(3) - INTERVAL 1 HOUR');
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'heartbeat failed');
    }
  }
}
