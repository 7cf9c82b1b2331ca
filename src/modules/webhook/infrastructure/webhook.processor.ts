import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { ClsService } from 'nestjs-cls';
import { AppConfig } from '../../../platform/config/app-config';
import { QueueShutdown } from '../../../platform/queue/queue-shutdown';
import { JOB_DELIVER_EVENT, JOB_DRAIN_CALLBACKS, WEBHOOK_QUEUE, type DeliverEventJob, type DrainCallbacksJob } from '../../../platform/queue/queues';
import { DeliverPendingEvents, type DeliveryOutcome } from '../application/deliver-pending-events/deliver-pending-events.use-case';

/** Bull's name for a processor of every job name of its queue. */
const ANY_JOB = '*';

/**
 * Worker side of the webhook queue. Every job names an application and sends what is
 * pending for it: a job per recorded event (`deliver-event`), and wake-ups for retries,
 * reactivations and sweeps (`drain-callbacks`). Jobs that find the application busy end
 * at once; its current deliverer picks their events up. When the worker stops, a delivery
 * ends after the request in flight and hands the rest to another worker.
 */
@Injectable()
export class WebhookProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger('WebhookProcessor');

  constructor(
    @InjectQueue(WEBHOOK_QUEUE) private readonly queue: Queue,
    private readonly deliver: DeliverPendingEvents,
    private readonly cls: ClsService,
    private readonly config: AppConfig,
    private readonly shutdown: QueueShutdown,
  ) {}

  onApplicationBootstrap(): void {
    // One processor for both kinds of job: Bull runs `concurrency` loops per processor, each
    // taking any job of the queue, so one processor per name would run twice the setting.
    this.queue.process(ANY_JOB, this.config.WEBHOOK_CONCURRENCY, (job: Job<DeliverEventJob | DrainCallbacksJob>) => this.handle(job)).catch((err: unknown) => {
      this.logger.error({ jobs: [JOB_DELIVER_EVENT, JOB_DRAIN_CALLBACKS], err: (err as Error).message }, 'webhook processor stopped');
    });
  }

  private handle(job: Job<DeliverEventJob | DrainCallbacksJob>): Promise<DeliveryOutcome> {
    return this.cls.run(async () => {
      if (job.data.correlationId) this.cls.set('correlationId', job.data.correlationId);
      const outcome = await this.deliver.execute(job.data.clientApplicationId, () => this.shutdown.stopping).catch((err: unknown) => {
        // A receiver's failures are verdicts, not errors; this is the platform unable to deliver
        // at all (database gone). Bull retries the job, the sweeper after it. (A stored secret no
        // key opens is a failed attempt of its own, with backoff: DeliverPendingEvents.)
        this.logger.error({ jobId: job.id, clientApplicationId: job.data.clientApplicationId, correlationId: job.data.correlationId, err: (err as Error).message }, 'webhook delivery failed');
        throw err;
      });
      this.logger.debug({ jobId: job.id, clientApplicationId: job.data.clientApplicationId, correlationId: job.data.correlationId, ...outcome }, 'webhook job done');
      return outcome;
    });
  }
}
