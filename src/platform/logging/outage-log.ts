import type { Logger } from '@nestjs/common';

/**
 * Logs an outage of something this process depends on (Redis) once when it starts, at warn, and
 * once when it ends, at info, however many failures come between: a connection retrying every
 * few hundred milliseconds would otherwise write a line each time, and one line per outage is
 * what an operator follows.
 */
export class OutageLog {
  private down = false;

  constructor(private readonly log: Logger, private readonly messages: { down: string; back: string }) {}

  failed(err: unknown): void {
    if (this.down) return;
    this.down = true;
    this.log.warn({ err: err instanceof Error ? err.message : String(err) }, this.messages.down);
  }

  answered(): void {
    if (!this.down) return;
    this.down = false;
    this.log.log(this.messages.back);
  }
}
