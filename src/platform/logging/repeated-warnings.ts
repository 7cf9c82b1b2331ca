import type { Logger } from '@nestjs/common';

/**
 * Logs a warning for each error of a kind that can repeat fast (a script failing at every round
 * of a poll, every job's lock failing to renew), at most one line per kind per interval: the
 * first at once, so the fault is seen when it starts, and the first after each interval with
 * `unlogged`, how many of its kind were left out since the line before. A fault that lasts is
 * then a line per interval rather than a flood that buries every other line.
 *
 * Kinds are the caller's fixed names (a queue and what failed), never text of the error, so the
 * record of them stays as small as their list.
 */
export class RepeatedWarnings {
  private readonly kinds = new Map<string, { loggedAt: number; unlogged: number }>();

  constructor(private readonly log: Logger, private readonly intervalMs: number) {}

  warn(kind: string, fields: Record<string, unknown>, message: string): void {
    const now = Date.now();
    const seen = this.kinds.get(kind);
    if (seen && now - seen.loggedAt < this.intervalMs) {
      seen.unlogged++;
      return;
    }
    this.kinds.set(kind, { loggedAt: now, unlogged: 0 });
    this.log.warn({ ...fields, ...(seen && seen.unlogged > 0 ? { unlogged: seen.unlogged } : {}) }, message);
  }
}
