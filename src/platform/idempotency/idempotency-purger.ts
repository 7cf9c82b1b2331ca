import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicTask, withJitter } from '../scheduling/periodic-task';
import { IdempotencyStore } from './idempotency.store';

const EVERY_MS = 15 * 60 * 1000;

/** Worker-side housekeeping: drops idempotency records past their 24 h retention. */
@Injectable()
export class IdempotencyPurger implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('IdempotencyPurger');
  private readonly task = new PeriodicTask('idempotency purge', () => withJitter(EVERY_MS), () => this.store.purgeExpired(), this.logger);

  constructor(private readonly store: IdempotencyStore) {}

  onApplicationBootstrap(): void {
    // At start too: a worker restarted more often than every 15 minutes would otherwise never purge.
    this.task.start({ now: true });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}
