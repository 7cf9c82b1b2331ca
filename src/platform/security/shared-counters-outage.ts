import type { Logger } from '@nestjs/common';
import { OutageLog } from '../logging/outage-log';

/**
 * After the shared counters failed, hits are counted in this process for this long before the
 * shared counters are tried again, so that a hung Redis costs one request its timeout per
 * interval rather than every request.
 */
export const SHARED_RETRY_INTERVAL_MS = 1000;

/** A request waits at most this long for the shared counters before it is counted in its own process. */
export const SHARED_COUNTERS_TIMEOUT_MS = 1000;

/**
 * What the throttles do while their shared counters (Redis) cannot be reached: a request is not
 * refused for it, and is counted in this process instead, which then does not ask Redis again
 * for SHARED_RETRY_INTERVAL_MS. The outage is logged once at warn, and the return at info.
 */
export class SharedCountersOutage {
  /** Before this time (epoch ms) hits are counted locally without asking the shared counters. */
  private localUntil = 0;
  private readonly outage: OutageLog;

  constructor(log: Logger, messages: { down: string; back: string }) {
    this.outage = new OutageLog(log, messages);
  }

  async count<T>(shared: () => Promise<T>, local: () => T | Promise<T>): Promise<T> {
    if (Date.now() >= this.localUntil) {
      try {
        const counted = await shared();
        this.outage.answered();
        return counted;
      } catch (err) {
        this.localUntil = Date.now() + SHARED_RETRY_INTERVAL_MS;
        this.outage.failed(err);
      }
    }
    return local();
  }
}
