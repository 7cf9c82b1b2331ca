import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../platform/config/app-config';
import { dataSourceOptions } from '../../../platform/database/data-source-options';

type Connection = Pick<DataSource, 'query' | 'destroy'>;

/**
 * Each worker refreshes its row every WORKER_HEARTBEAT_INTERVAL_MS; the start API counts
 * rows seen within WORKER_HEARTBEAT_TTL_MS. Kept in MySQL rather than Redis so the start
 * API keeps working while Redis is down (the outbox carries the jobs meanwhile).
 *
 * On a connection of its own, besides the worker's pool: a worker whose pooled connections were
 * all held by jobs (assignment transactions waiting on a row lock, up to
 * innodb_lock_wait_timeout) queued its refresh behind them, its row grew older than the TTL and
 * the api refused every start (400-140) exactly when the worker was busiest.
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
  private own: Promise<Connection> | undefined;
  /** When the last refresh landed, to tell one that lands late. */
  private lastLanded: number | undefined;

  constructor(private readonly config: AppConfig) {}

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => {
      this.beating ??= this.beat().finally(() => (this.beating = undefined));
    }, this.config.WORKER_HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * Before the database closes, so the row goes at once instead of expiring by its TTL. After
   * the refresh under way: were it still to land after the removal it would keep a stopped
   * worker counted as running for a TTL.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.beating;
    try {
      await (await this.db()).query('DELETE FROM worker_heartbeat WHERE worker_id = ?', [this.workerId]);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'could not remove heartbeat; it expires by its TTL');
    }
    const own = this.own;
    this.own = undefined;
    await own?.then((db) => db.destroy()).catch(() => undefined);
  }

  /**
   * A pool of one connection: mysql2 replaces it when it is lost. A DataSource with no entities
   * rather than a bare mysql2 pool: it takes the connection's one definition as it is
   * (data-source-options.ts, UTC sessions included) for 7 to 11 KiB of heap more than such a pool,
   * which holds the same one connection.
   */
  protected openConnection(): Promise<Connection> {
    return new DataSource(dataSourceOptions(this.config, { poolSize: 1 })).initialize();
  }

  /** The heartbeat's connection, opened at the first beat and again after a failed opening. */
  private db(): Promise<Connection> {
    if (!this.own) {
      const opening = this.openConnection();
      opening.catch(() => {
        if (this.own === opening) this.own = undefined;
      });
      this.own = opening;
    }
    return this.own;
  }

  /**
   * A refresh landing more than half the TTL after the one before is said at warn, before the
   * api counts the worker dead: a long upsert points at the database, a short one at this
   * process's event loop (or refreshes that failed in between, each warned of).
   */
  private landed(at: number, sent: number): void {
    const sinceLastMs = this.lastLanded === undefined ? 0 : at - this.lastLanded;
    this.lastLanded = at;
    const ttlMs = this.config.WORKER_HEARTBEAT_TTL_MS;
    if (sinceLastMs > ttlMs / 2) this.logger.warn({ sinceLastMs, upsertMs: at - sent, ttlMs }, 'heartbeat refreshed late');
  }

  private async beat(): Promise<void> {
    try {
      const db = await this.db();
      const sent = Date.now();
      await db.query(
        `INSERT INTO worker_heartbeat (worker_id, host, pid, started_at, seen_at) VALUES (?, ?, ?, NOW(3), NOW(3))
         ON DUPLICATE KEY UPDATE seen_at = NOW(3)`,
        [this.workerId, hostname().slice(0, 255), process.pid],
      );
      this.landed(Date.now(), sent);
      await db.query('DELETE FROM worker_heartbeat WHERE seen_at < NOW(3) - INTERVAL 1 HOUR');
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'heartbeat failed');
    }
  }
}
