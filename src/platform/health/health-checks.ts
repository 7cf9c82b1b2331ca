import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, ServiceUnavailableException, type OnApplicationShutdown } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Queue } from 'bull';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source-options';
import { ASSIGNMENT_QUEUE } from '../queue/queues';
import { FailureLogThrottle, reasonOf } from './check-failure';
import { liveWorkersQuery } from './live-workers';
import { withTimeout } from './with-timeout';

const CHECK_TIMEOUT_MS = 1000;
/** How often the same failure of a check is logged again while it lasts. */
const FAILURE_LOG_INTERVAL_MS = 60_000;

export type ProcessKind = 'api' | 'worker';

export interface HealthAnswer {
  status: 200 | 503;
  body: HealthCheckResult;
}

/**
 * Liveness says only that the process answers (a dependency outage must not get it
 * restarted); readiness says whether it can do its work: MySQL and Redis answer within a
 * second, and, for the api, at least one assignment worker has a fresh heartbeat (without
 * one every start is refused), for a worker, its own heartbeat is fresh.
 *
 * MySQL is asked on a connection of the checks' own, not one of the process's pool: with every
 * pooled connection taken (requests waiting on a lock, a burst of starts) a probe waited its
 * second for one and reported MySQL down while it answered, and a load balancer following
 * readiness took every api process out at once.
 *
 * A failed check answers a reason from a short list (CheckFailureReason), never the driver's
 * message, which names the service's host and port; that message is logged at warn, once a
 * minute per check while it lasts.
 */
@Injectable()
export class HealthChecks implements OnApplicationShutdown {
  private readonly logger = new Logger('Health');
  private lastReady: boolean | undefined;
  private readonly failureLog = new FailureLogThrottle(FAILURE_LOG_INTERVAL_MS);
  private own: Promise<DataSource> | undefined;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly config: AppConfig,
    @InjectQueue(ASSIGNMENT_QUEUE) private readonly queue: Queue,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    const own = this.own;
    this.own = undefined;
    // A database that hangs would hold the stop up: what is still open after a second is left.
    const closing = own?.then((db) => db.destroy());
    await (closing && withTimeout(closing, CHECK_TIMEOUT_MS, 'health connection').catch(() => undefined));
  }

  /** The checks' connection, opened at the first probe and again after a failed opening. */
  private db(): Promise<DataSource> {
    if (!this.own) {
      const opening = new DataSource(dataSourceOptions(this.config, { poolSize: 1 })).initialize();
      opening.catch(() => {
        if (this.own === opening) this.own = undefined;
      });
      this.own = opening;
    }
    return this.own;
  }

  private async query<T>(sql: string, parameters?: unknown[]): Promise<T> {
    return (await this.db()).query(sql, parameters) as Promise<T>;
  }

  liveness(): Promise<HealthAnswer> {
    return this.run([]);
  }

  async readiness(kind: ProcessKind): Promise<HealthAnswer> {
    const checks = [() => this.mysql(), () => this.redis(), kind === 'api' ? () => this.assignmentWorkers() : () => this.ownHeartbeat()];
    const answer = await this.run(checks);
    const ready = answer.status === 200;
    if (ready !== this.lastReady) {
      if (ready) this.logger.log({ kind }, 'ready');
      else this.logger.warn({ kind, error: answer.body.error }, 'not ready');
      this.lastReady = ready;
    }
    return answer;
  }

  private async run(checks: (() => Promise<HealthIndicatorResult>)[]): Promise<HealthAnswer> {
    try {
      return { status: 200, body: await this.health.check(checks) };
    } catch (err) {
      if (err instanceof ServiceUnavailableException) return { status: 503, body: err.getResponse() as HealthCheckResult };
      throw err;
    }
  }

  private async probe(key: string, fn: () => Promise<Record<string, unknown> | string | undefined>): Promise<HealthIndicatorResult> {
    const check = this.indicator.check(key);
    try {
      const failure = await withTimeout(fn(), CHECK_TIMEOUT_MS, key);
      if (typeof failure === 'string') return check.down({ message: failure });
      this.failureLog.recovered(key);
      return check.up(failure ?? {});
    } catch (err) {
      const reason = reasonOf(err);
      const message = (err as Error)?.message ?? String(err);
      if (this.failureLog.shouldLog(key, message)) this.logger.warn({ check: key, reason, err: message }, 'health check failed');
      return check.down({ message: reason });
    }
  }

  private mysql(): Promise<HealthIndicatorResult> {
    return this.probe('mysql', async () => {
      await this.query('SELECT 1');
      return undefined;
    });
  }

  private redis(): Promise<HealthIndicatorResult> {
    return this.probe('redis', async () => {
      await this.queue.client.ping();
      return undefined;
    });
  }

  private assignmentWorkers(): Promise<HealthIndicatorResult> {
    return this.probe('assignmentWorkers', async () => {
      const rows = await this.query<{ n: string }[]>(...liveWorkersQuery(this.config.WORKER_HEARTBEAT_TTL_MS));
      const live = Number(rows[0].n);
      return live > 0 ? { live } : `no assignment worker has sent a heartbeat within ${this.config.WORKER_HEARTBEAT_TTL_MS} ms`;
    });
  }

  /** The heartbeat row this worker writes (WorkerHeartbeat) is found by host name and pid. */
  private ownHeartbeat(): Promise<HealthIndicatorResult> {
    return this.probe('heartbeat', async () => {
      const rows = await this.query<{ age_us: string }[]>(
        'SELECT TIMESTAMPDIFF(MICROSECOND, seen_at, NOW(3)) AS age_us FROM worker_heartbeat WHERE host = ? AND pid = ? ORDER BY seen_at DESC LIMIT 1',
        [hostname().slice(0, 255), process.pid],
      );
      if (rows.length === 0) return 'this worker has no heartbeat row';
      const ageMs = Math.round(Number(rows[0].age_us) / 1000);
      return ageMs <= this.config.WORKER_HEARTBEAT_TTL_MS ? { ageMs } : `last heartbeat ${ageMs} ms ago (TTL ${this.config.WORKER_HEARTBEAT_TTL_MS} ms)`;
    });
  }
}
