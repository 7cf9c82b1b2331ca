import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bull';
import type Redis from 'ioredis';
import { QueueDispatcher } from '../outbox/queue-dispatcher';
import { isMarked, nameBlockingConnection, releaseBlockedReads } from './blocked-reads';

/** What Bull keeps of a queue's blocking connection but does not declare. */
type QueueWithBlockingClient = Queue & { bclientInitialized?: boolean; bclient?: unknown };

/**
 * Graceful stop of the queues, before anything else closes: Bull's close() first pauses
 * the queue locally (no new job is taken), waits for the jobs in progress to finish,
 * then disconnects. Runs in beforeApplicationShutdown so the database those jobs use is
 * still open. A job cut short anyway (kill -9, timeout) is found stalled by another worker
 * and run again; the use cases are idempotent.
 *
 * To pause, Bull sends QUIT on the connection that waits for new jobs, which Redis holds in
 * BRPOPLPUSH for up to drainDelay (5 s): the QUIT waited there until Bull gave up after 500 ms
 * and dropped the connection, in every stop of a worker. Once close() has marked the queue
 * closing (no loop reads again), the reads are released (CLIENT UNBLOCK, as a timeout: a job
 * is either moved and handed to the worker, which runs it before closing, or stays waiting),
 * so the QUIT is answered at once. The connection is found in CLIENT LIST by a name of its own,
 * given as the queues are made (before any handler is set; Nest makes every provider before
 * the first onModuleInit, where handlers are set); an address would not do, as the one Redis
 * sees is not the socket's behind NAT, a proxy, or IPv4 seen as IPv6. Where that fails
 * (CLIENT refused, Redis away, a connection named before) Bull's own 500 ms wait remains.
 *
 * A job that would otherwise run on for long (a webhook delivery working through an
 * application's backlog) asks `stopping` between steps and hands the rest over.
 */
@Injectable()
export class QueueShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger('QueueShutdown');
  private closing = false;

  constructor(private readonly queues: QueueDispatcher) {
    for (const queue of queues.all()) nameBlockingConnection(queue);
  }

  /** Whether the process is stopping: jobs in progress should end at their next step. */
  get stopping(): boolean {
    return this.closing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    const started = Date.now();
    await Promise.all(this.queues.all().map((q) => this.close(q)));
    this.logger.log({ ms: Date.now() - started }, 'queues closed; jobs in progress finished');
  }

  private async close(queue: QueueWithBlockingClient): Promise<void> {
    let closed = false;
    // close() marks the queue closing before it returns: a read released from now on is not made again.
    const closing = queue.close().finally(() => (closed = true));
    this.releaseReads(queue, () => closed);
    await closing.catch((err: unknown) => this.logger.warn({ queue: queue.name, err: (err as Error).message }, 'queue close failed'));
  }

  /** Not awaited: a Redis that does not answer must not hold the stop up beyond Bull's own bounds. */
  private releaseReads(queue: QueueWithBlockingClient, closed: () => boolean): void {
    // Only a process that takes jobs has the blocking connection (the api adds jobs alone).
    if (!queue.bclientInitialized) return;
    const client = queue.client as unknown as Redis;
    const name = (queue.bclient as unknown as Redis).options.connectionName;
    // A connection named by Bull alone (its handler set before the constructor ran) shares its name with every worker's.
    if (!isMarked(name) || client.status !== 'ready') return;
    releaseBlockedReads(client, name, closed).then(
      (released) => this.logger.debug({ queue: queue.name, released }, 'blocking reads released'),
      (err: unknown) => this.logger.debug({ queue: queue.name, err: (err as Error).message }, 'blocking reads not released; Bull waits for them'),
    );
  }
}
