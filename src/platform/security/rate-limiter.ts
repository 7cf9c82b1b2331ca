import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { AppError } from '../errors/app-error';

/**
 * Fixed-window counters on @nestjs/throttler's storage, for limits that need what only the
 * handler knows (the calling application, the customer a start is for). Counted in this
 * process's memory: with API_PROCESSES > 1 each process counts on its own.
 */
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly logger = new Logger('RateLimiter');
  private readonly storage = new ThrottlerStorageService();

  /** Counts one hit of `key` under `name`; beyond `limit` per `windowMs` it is a 429 with Retry-After. A limit of 0 means none. */
  async hit(name: string, key: string, limit: number, windowMs: number): Promise<void> {
    if (limit <= 0) return;
    const record = await this.storage.increment(`${name}:${key}`, windowMs, limit, windowMs, name);
    if (!record.isBlocked) return;
    const retryAfter = Math.max(1, Math.ceil(record.timeToBlockExpire));
    this.logger.warn({ limit: name, key: key.slice(0, 80), retryAfterSeconds: retryAfter }, 'rate limit reached');
    throw new AppError('TooManyRequests', `${name} limit of ${limit} per ${windowMs} ms reached; retry after ${retryAfter} s`, undefined, {}, { 'Retry-After': String(retryAfter) });
  }

  onModuleDestroy(): void {
    this.storage.onApplicationShutdown();
  }
}
