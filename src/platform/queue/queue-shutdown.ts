import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { QueueDispatcher } from '../outbox/queue-dispatcher';

/**
 * Graceful stop of the queues, before anything else closes: Bull's close() first pauses
 * the queue locally (no new job is taken), waits for the jobs in progress to finish,
 * then disconnects. Runs in beforeApplicationShutdown so the database those jobs use is
 * still open. A job cut short anyway (kill -9, timeout) is found stalled by another worker
 * and run again; the use cases are idempotent.
 */
@Injectable()
export class QueueShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger('QueueShutdown');

  constructor(private readonly queues: QueueDispatcher) {}

  async beforeApplicationShutdown(): Promise<void> {
    const started = Date.now();
    await Promise.all(this.queues.all().map((q) => q.close().catch((err: unknown) => this.logger.warn({ queue: q.name, err: (err as Error).message }, 'queue close failed'))));
    this.logger.log({ ms: Date.now() - started }, 'queues closed; jobs in progress finished');
  }
}
