import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '../errors/app-error';

/** At most `limit` hits of `key` under `name` per `windowMs`; a limit of 0 means none. */
export interface RateLimit {
  name: string;
  key: string;
  limit: number;
  windowMs: number;
}

interface Window {
  endsAt: number;
  count: number;
}

/** Ended windows are dropped at most this often, so that a hit rarely pays for the sweep. */
const SWEEP_INTERVAL_MS = 1000;

/**
 * Fixed-window counters for limits that need what only the handler knows (the calling
 * application, the customer a start is for): a key's window opens at its first hit and
 * lasts `windowMs`. One map lookup per hit. (@nestjs/throttler's storage, used before,
 * keeps a timestamp per hit and filters them all on every hit: a busy application's key
 * made each start scan every start of the window, 3,000 at 300 starts/s with the 10 s
 * default.) Counted in this process's memory: with API_PROCESSES > 1 each process counts
 * on its own.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger('RateLimiter');
  private readonly windows = new Map<string, Window>();
  private lastSweep = Date.now();

  /** Counts one hit of `key` under `name`; beyond `limit` per `windowMs` it is a 429 with Retry-After. A limit of 0 means none. */
  async hit(name: string, key: string, limit: number, windowMs: number): Promise<void> {
    return this.hitAll([{ name, key, limit, windowMs }]);
  }

  /**
   * Counts one hit against every limit, or against none: when one of them is reached, it is a 429
   * with the Retry-After of the latest window to end among those reached, and the others are
   * not counted either, so that a refused request (a customer over its own limit) does not use up
   * what the rest may still do (the application's allowance, shared by its other customers).
   */
  async hitAll(limits: readonly RateLimit[]): Promise<void> {
    const now = Date.now();
    this.sweep(now);
    const windows: Window[] = [];
    let refused: { limit: RateLimit; retryAfter: number } | undefined;
    for (const limit of limits) {
      if (limit.limit <= 0) continue;
      const id = `${limit.name}:${limit.key}`;
      let window = this.windows.get(id);
      if (!window || window.endsAt <= now) {
        window = { endsAt: now + limit.windowMs, count: 0 };
        this.windows.set(id, window);
      }
      if (window.count >= limit.limit) {
        const retryAfter = Math.max(1, Math.ceil((window.endsAt - now) / 1000));
        if (!refused || retryAfter > refused.retryAfter) refused = { limit, retryAfter };
      }
      windows.push(window);
    }
    if (!refused) {
      for (const window of windows) window.count++;
      return;
    }
    const { limit: { name, key, limit, windowMs }, retryAfter } = refused;
    this.logger.warn({ limit: name, key: key.slice(0, 80), retryAfterSeconds: retryAfter }, 'rate limit reached');
    throw new AppError('TooManyRequests', `${name} limit of ${limit} per ${windowMs} ms reached; retry after ${retryAfter} s`, undefined, {}, { 'Retry-After': String(retryAfter) });
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    for (const [id, window] of this.windows) if (window.endsAt <= now) this.windows.delete(id);
  }
}
