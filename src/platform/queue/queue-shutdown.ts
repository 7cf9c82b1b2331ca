import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { QueueDispatcher } from '../outbox/queue-dispatcher';

/**
 * Graceful stop of the queues, before anything else closes: Bull's close() first pauses
 * the queue locally (no new job is taken), waits for the jobs in progress to finish,
 * then disconnects. Runs in beforeApplicationShutdown so the database those jobs use is
 * still open. A job cut short anyway (kill -9, timeout) is found stalled by another worker
 * and run again; the use cases are idempotent.
 *
 * A job that would otherwise run on for long (a webhook delivery working through an
 * application's backlog) asks `stopping` between steps and hands the rest over.
 */
@Injectable()
export class QueueShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger('QueueShutdown');
  private closing = false;

  constructor(private readonly queues: QueueDispatcher) {}

  /** Whether the process is stopping: jobs in progress should end at their next step. */
  get stopping(): boolean {
    return this.closing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    const started = Date.now();
    await Promise.all(this.queues.all().map((q) => q.close().catch((err: unknown) => this.logger.warn({ queue: q.name, err: (err as Error).message }, 'queue close failed'))));
    this.logger.log({ ms: Date.now() - started }, 'queues closed; jobs in progress finished');
  }
}
