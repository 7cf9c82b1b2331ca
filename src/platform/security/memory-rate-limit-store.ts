import { NOTHING_COUNTED, type CountedHit, type RateLimit, type RateLimitRefusal, type RateLimitStore } from './rate-limiter';

interface Window {
  endsAt: number;
  count: number;
}

/** Ended windows are dropped at most this often, so that a hit rarely pays for the sweep. */
const SWEEP_INTERVAL_MS = 1000;

/**
 * Counters in this process's memory, one map lookup per limit. (@nestjs/throttler's storage,
 * used before, keeps a timestamp per hit and filters them all on every hit: a busy
 * application's key made each start scan every start of the window, 3,000 at 300 starts/s
 * with the 10 s default.) Each process counts on its own: with API_PROCESSES > 1 or several
 * api hosts, each grants the whole limit.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, Window>();
  private lastSweep = Date.now();

  async take(limits: readonly RateLimit[]): Promise<RateLimitRefusal | CountedHit> {
    const now = Date.now();
    this.sweep(now);
    const windows: Window[] = [];
    let refused: RateLimitRefusal | undefined;
    for (const limit of limits) {
      if (limit.limit <= 0) continue;
      const id = `${limit.name}:${limit.key}`;
      let window = this.windows.get(id);
      if (!window || window.endsAt <= now) {
        window = { endsAt: now + limit.windowMs, count: 0 };
        this.windows.set(id, window);
      }
      if (window.count >= limit.limit) {
        const retryAfterSeconds = Math.max(1, Math.ceil((window.endsAt - now) / 1000));
        if (!refused || retryAfterSeconds > refused.retryAfterSeconds) refused = { limit, retryAfterSeconds };
      }
      windows.push(window);
    }
    if (refused) return refused;
    if (windows.length === 0) return NOTHING_COUNTED;
    for (const window of windows) window.count++;
    return { giveBack: async () => this.giveBack(windows) };
  }

  /**
   * To the windows that counted the hit. One that has ended since is replaced by a new object at
   * its key's next hit, so what is given back to it is given to no open window.
   */
  private giveBack(windows: readonly Window[]): void {
    for (const window of windows) window.count--;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    for (const [id, window] of this.windows) if (window.endsAt <= now) this.windows.delete(id);
  }
}
