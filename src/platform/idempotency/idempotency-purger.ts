import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { IdempotencyStore } from './idempotency.store';

const EVERY_MS = 15 * 60 * 1000;

/** Worker-side housekeeping: drops idempotency records past their 24 h retention. */
@Injectable()
export class IdempotencyPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('IdempotencyPurger');
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly store: IdempotencyStore) {}

  /** Purges at start, then every 15 minutes: a worker restarted more often than that would otherwise never purge. */
  onApplicationBootstrap(): void {
    const purge = () => void this.store.purgeExpired().catch((err: unknown) => this.logger.warn({ err: (err as Error).message }, 'purge failed'));
    this.timer = setInterval(purge, EVERY_MS);
    this.timer.unref();
    purge();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
