/**
 * How many unplanned exits of api processes the primary replaces within a sliding window. A
 * process that dies again and again (a fault met at every start, a request that kills it each
 * time) would otherwise be replaced without end, and a supervisor would never see the failure.
 */
export class RestartBudget {
  private readonly exits: number[] = [];

  constructor(private readonly limit: number, private readonly windowMs: number) {}

  /** Records an exit at `now` (ms); false once more than `limit` exits fall within the window. */
  allows(now: number): boolean {
    this.exits.push(now);
    while (this.exits.length > 0 && this.exits[0] <= now - this.windowMs) this.exits.shift();
    return this.exits.length <= this.limit;
  }

  /** The exits within the window, as of the last one recorded. */
  get recent(): number {
    return this.exits.length;
  }
}
