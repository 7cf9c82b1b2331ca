import { Injectable, Logger } from '@nestjs/common';
import { Gauge, type GaugeConfiguration, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { QueueDispatcher } from '../outbox/queue-dispatcher';
import { QUEUES } from '../queue/queues';
import { withTimeout } from '../health/with-timeout';
import { markShared, metricsRegistry } from './registry';
import { liveWorkersQuery } from '../health/live-workers';

// `paused`: the jobs of a queue paused in the dashboard, which Bull keeps apart from `waiting`.
const JOB_STATES = ['waiting', 'paused', 'active', 'delayed', 'failed'] as const;
const SCRAPE_TIMEOUT_MS = 1000;
/**
 * The age of the oldest unrelayed outbox row, read from that row alone: the first of
 * ix_outbox_pending (relayed_at, id), as ids follow creation. MIN(created_at) read every unrelayed
 * row, or the whole table with the relayed rows of the last 24 h once the backlog was a fair part
 * of it (Redis away), at every scrape of every process.
 */
export const OLDEST_UNRELAYED = 'SELECT TIMESTAMPDIFF(MICROSECOND, created_at, NOW(3)) AS us FROM outbox WHERE relayed_at IS NULL ORDER BY id LIMIT 1';

/**
 * A gauge read from a source that may fail. prom-client reports a gauge without labels as 0
 * after a reset, so a failed read would say "no backlog" or "no worker alive"; a scrape in which
 * the source did not answer has no sample of it at all, as a labelled gauge has none.
 *
 * Each scrape reads into a gauge of its own: scrapes that overlap (two Prometheus servers, or a
 * scrape while the cluster primary gathers) each read the sources, and a reading kept in the
 * registered gauge was reset by the next scrape while its sources were still answering, so the
 * first scrape lost the samples of a queue that had answered.
 */
class SourcedGauge extends Gauge<string> {
  constructor(private readonly configuration: GaugeConfiguration<string>, private readonly read: (g: Gauge<string>) => Promise<boolean>) {
    super(configuration);
  }

  async get(): Promise<MetricObjectWithValues<MetricValue<string>>> {
    const reading = new Gauge<string>({ ...this.configuration, registers: [] });
    const answered = await this.read(reading);
    const metric = await reading.get();
    return answered ? metric : { ...metric, values: [] };
  }
}

/**
 * Gauges read from MySQL and Redis when Prometheus scrapes, not on requests: queue depth per
 * Bull queue and state, the outbox backlog and the number of live assignment workers.
 * Every process reports the same platform-wide values; aggregate them with max(). With
 * API_PROCESSES > 1 only the api process that answers a scrape reads them (serveClusterMetrics):
 * each process read them for every scrape, the same queries once per process.
 * A source that does not answer within a second is left out of that scrape (and logged).
 */
@Injectable()
export class ScrapeMetrics {
  private readonly logger = new Logger('Metrics');

  constructor(private readonly db: DataSource, private readonly queues: QueueDispatcher, private readonly config: AppConfig) {
    this.gauge('queue_jobs', 'Jobs in each Bull queue by state (waiting, paused, active, delayed, failed)', ['queue', 'state'], async (g) => {
      await Promise.all(
        QUEUES.map(async (name) => {
          // Bull's JobCounts type leaves `paused` out; getJobCounts() counts it with the others.
          const counts = await this.guard(`queue ${name}`, this.queues.queue(name).getJobCounts() as Promise<unknown> as Promise<Record<string, number>>);
          if (!counts) return;
          for (const state of JOB_STATES) g.set({ queue: name, state }, Number(counts[state] ?? 0));
        }),
      );
      // A queue that did not answer has no sample; the others keep theirs.
      return true;
    });
    this.gauge('outbox_backlog', 'Outbox rows not yet relayed to their queue', [], async (g) => {
      const rows = await this.guard('outbox', this.db.query('SELECT COUNT(*) AS n FROM outbox WHERE relayed_at IS NULL') as Promise<{ n: string }[]>);
      if (rows) g.set(Number(rows[0].n));
      return rows !== undefined;
    });
    this.gauge('outbox_oldest_unrelayed_age_seconds', 'Age of the oldest outbox row not yet relayed (0 when none)', [], async (g) => {
      const rows = await this.guard(
        'outbox age',
        this.db.query(OLDEST_UNRELAYED) as Promise<{ us: string }[]>,
      );
      if (rows) g.set(rows.length === 0 ? 0 : Math.max(0, Number(rows[0].us)) / 1e6);
      return rows !== undefined;
    });
    this.gauge('assignment_workers_live', 'Assignment workers with a heartbeat younger than WORKER_HEARTBEAT_TTL_MS', [], async (g) => {
      const rows = await this.guard(
        'worker heartbeat',
        this.db.query(...liveWorkersQuery(this.config.WORKER_HEARTBEAT_TTL_MS)) as Promise<{ n: string }[]>,
      );
      if (rows) g.set(Number(rows[0].n));
      return rows !== undefined;
    });
  }

  /** `collect` sets the gauge's values and says whether its source answered. */
  private gauge(name: string, help: string, labelNames: string[], collect: (g: Gauge<string>) => Promise<boolean>): void {
    // A second Nest application in the same process (tests) replaces the first one's gauge.
    metricsRegistry.removeSingleMetric(name);
    markShared(name);
    new SourcedGauge({ name, help, labelNames, registers: [metricsRegistry], aggregator: 'max' }, collect);
  }

  private async guard<T>(what: string, promise: Promise<T>): Promise<T | undefined> {
    try {
      return await withTimeout(promise, SCRAPE_TIMEOUT_MS, what);
    } catch (err) {
      this.logger.warn({ source: what, err: (err as Error).message }, 'metric source unavailable during scrape');
      return undefined;
    }
  }
}
