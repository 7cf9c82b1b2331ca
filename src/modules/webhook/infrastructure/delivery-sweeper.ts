import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../../platform/config/app-config';
import { PeriodicTask } from '../../../platform/scheduling/periodic-task';
import { PruneSchedule } from '../../../platform/scheduling/prune-schedule';
import { QueueShutdown } from '../../../platform/queue/queue-shutdown';
import { DeliveryScheduler } from '../application/delivery-scheduler';
import { DeliveryRepository } from '../application/delivery.repository';

const APPLICATIONS_PER_SWEEP = 500;
const PRUNE_EVERY_ROUNDS = 500;
/** Settled events deleted by one statement, so that no DELETE holds its locks for long. */
export const PRUNE_CHUNK = 10000;

/**
 * The safety net of delivery: finds active applications with pending events that no
 * worker is delivering and no retry is waiting for (a worker died holding the lease, a
 * scheduled retry was lost with Redis) and wakes their delivery. Prunes old settled events
 * (PruneSchedule: first round, every PRUNE_EVERY_ROUNDS, and while a chunk comes back full).
 *
 * A stopping worker sweeps no more: its queues close first (QueueShutdown's hook, in a global
 * module, runs before this one) and a wake-up through a closed queue fails, so a worker stopped
 * while events waited logged 'sweep failed' ("Connection is closed.") at every round of its
 * shutdown. The other workers' sweeps wake those deliveries.
 */
@Injectable()
export class DeliverySweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WebhookSweeper');
  private readonly task = new PeriodicTask('sweep', () => this.config.WEBHOOK_SWEEP_INTERVAL_MS, () => this.sweepOnce(), this.logger);
  private readonly pruning = new PruneSchedule(PRUNE_EVERY_ROUNDS, PRUNE_CHUNK, (limit) => this.deliveries.prune(this.config.WEBHOOK_RETENTION_HOURS, limit));

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly scheduler: DeliveryScheduler,
    private readonly config: AppConfig,
    private readonly shutdown: QueueShutdown,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One round; returns how many applications were woken (none once the worker is stopping). */
  async sweepOnce(): Promise<number> {
    if (this.shutdown.stopping) return 0;
    const ids = await this.deliveries.idleWithPending(APPLICATIONS_PER_SWEEP);
    const bucket = Math.floor(Date.now() / this.config.WEBHOOK_SWEEP_INTERVAL_MS);
    await Promise.all(ids.map((id) => this.scheduler.wake(id, 0, `sweep-${bucket}`)));
    if (ids.length > 0) this.logger.log({ applications: ids }, 'woke idle deliveries');
    const pruned = await this.pruning.onRound();
    if (pruned > 0) this.logger.log({ pruned }, 'pruned settled webhook events');
    return ids.length;
  }
}
