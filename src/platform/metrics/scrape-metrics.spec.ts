import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import type { QueueDispatcher } from '../outbox/queue-dispatcher';
import { metricsRegistry } from './registry';
import { OLDEST_UNRELAYED, ScrapeMetrics } from './scrape-metrics';

interface Sources {
  backlog?: Promise<unknown>;
  oldest?: Promise<unknown>;
  workers?: Promise<unknown>;
  /** A queue's job counts, or a function giving them anew at each read. */
  counts?: Record<string, Promise<unknown> | (() => Promise<unknown>)>;
}

/** ScrapeMetrics over a database and queues that answer as `sources` says. */
function scrapeWith(sources: Sources) {
  const db = {
    query: jest.fn((sql: string) => {
      if (sql === OLDEST_UNRELAYED) return sources.oldest ?? Promise.resolve([]);
      if (sql.includes('FROM outbox')) return sources.backlog ?? Promise.resolve([{ n: '0' }]);
      return sources.workers ?? Promise.resolve([{ n: '1' }]);
    }),
  };
  const queues = {
    queue: (name: string) => ({
      getJobCounts: () => {
        const counts = sources.counts?.[name];
        return (typeof counts === 'function' ? counts() : counts) ?? Promise.resolve({ waiting: 0, paused: 0, active: 0, delayed: 0, failed: 0 });
      },
    }),
  };
  new ScrapeMetrics(db as unknown as DataSource, queues as unknown as QueueDispatcher, { WORKER_HEARTBEAT_TTL_MS: 10000 } as AppConfig);
}

async function samples(name: string): Promise<{ labels: Record<string, string | number>; value: number }[]> {
  const metric = metricsRegistry.getSingleMetric(name);
  if (!metric) throw new Error(`${name} is not registered`);
  return (await metric.get()).values.map(({ labels, value }) => ({ labels: labels as Record<string, string | number>, value }));
}

describe('ScrapeMetrics', () => {
  it('reads the outbox backlog, the age of its oldest row in seconds and the live workers when scraped', async () => {
    scrapeWith({ backlog: Promise.resolve([{ n: '42' }]), oldest: Promise.resolve([{ us: '2500000' }]), workers: Promise.resolve([{ n: '3' }]) });
    expect(await samples('outbox_backlog')).toEqual([{ labels: {}, value: 42 }]);
    expect(await samples('outbox_oldest_unrelayed_age_seconds')).toEqual([{ labels: {}, value: 2.5 }]);
    expect(await samples('assignment_workers_live')).toEqual([{ labels: {}, value: 3 }]);
  });

  it('counts the jobs of each queue by state, paused ones apart from waiting ones', async () => {
    scrapeWith({ counts: { assignment: Promise.resolve({ waiting: 4, paused: 2, active: 1, delayed: 0, failed: 5 }) } });
    const assignment = (await samples('queue_jobs')).filter((s) => s.labels.queue === 'assignment');
    expect(Object.fromEntries(assignment.map((s) => [s.labels.state, s.value]))).toEqual({ waiting: 4, paused: 2, active: 1, delayed: 0, failed: 5 });
  });

  it('leaves a gauge whose source failed without a sample, rather than a 0 that reads as no backlog or no worker alive', async () => {
    const down = Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:3306'));
    down.catch(() => undefined);
    scrapeWith({ backlog: down, oldest: down, workers: down, counts: { webhook: down } });
    expect(await samples('outbox_backlog')).toEqual([]);
    expect(await samples('outbox_oldest_unrelayed_age_seconds')).toEqual([]);
    expect(await samples('assignment_workers_live')).toEqual([]);
    // A queue that did not answer has no sample; the other keeps its own.
    const queues = new Set((await samples('queue_jobs')).map((s) => s.labels.queue));
    expect([...queues]).toEqual(['assignment']);
  });

  it('gives each of two overlapping scrapes every queue that answered it, whatever the order the answers come in', async () => {
    // Each read of a queue's counts answers when the test says, so that the second scrape
    // starts after the first one's assignment counts came and before its webhook counts did.
    const pending: Record<string, ((counts: Record<string, number>) => void)[]> = { assignment: [], webhook: [] };
    const answerLater = (queue: string) => () => new Promise<unknown>((resolve) => pending[queue].push(resolve));
    scrapeWith({ counts: { assignment: answerLater('assignment'), webhook: answerLater('webhook') } });
    const counts = (n: number) => ({ waiting: n, paused: 0, active: 0, delayed: 0, failed: 0 });
    const settle = () => new Promise((resolve) => setImmediate(resolve));

    const first = samples('queue_jobs');
    await settle();
    pending.assignment[0](counts(1));
    await settle();
    const second = samples('queue_jobs');
    await settle();
    pending.webhook[0](counts(2));
    const firstScrape = await first;
    pending.assignment[1](counts(1));
    pending.webhook[1](counts(2));

    for (const scrape of [firstScrape, await second]) {
      const waiting = scrape.filter((s) => s.labels.state === 'waiting');
      expect(Object.fromEntries(waiting.map((s) => [s.labels.queue, s.value]))).toEqual({ assignment: 1, webhook: 2 });
    }
  });
});
