import type { Logger } from '@nestjs/common';
import { MAX_DURATION_MS } from '../config/app-config';

/** An interval moved at random by up to ±25 %, so that the same round in several workers drifts apart. */
export function withJitter(intervalMs: number): number {
  return intervalMs * (0.75 + Math.random() * 0.5);
}

/**
 * A background round repeated after each completion (never overlapping itself): the
 * outbox relay and the sweepers of the worker. `stop` ends the cycle and waits for a
 * round in progress, so shutdown never cuts one off.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly description: string,
    private readonly delayMs: () => number,
    private readonly round: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  /** `now`: the first round runs at once instead of after the first delay. */
  start(options: { now?: boolean } = {}): void {
    this.schedule(options.now ? 0 : this.delayMs());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    // Node runs a timer longer than MAX_DURATION_MS after 1 ms: an interval at the settings' bound
    // moved up by its jitter would make the round run back to back instead of almost never.
    this.timer = setTimeout(() => {
      this.running = this.round()
        .then(() => undefined)
        .catch((err: unknown) => this.logger.warn({ err: (err as Error).message }, `${this.description} failed; retrying`))
        .finally(() => this.schedule(this.delayMs()));
    }, Math.min(delayMs, MAX_DURATION_MS));
  }
}
