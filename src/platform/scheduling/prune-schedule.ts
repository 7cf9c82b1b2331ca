/**
 * When a periodic task deletes expired rows, one chunk per statement (so that no DELETE holds
 * its locks for long): at its first round, so that a process restarted often still prunes;
 * every `everyRounds` after; and at every round while the last chunk came back full, so that
 * retention keeps up with any rate of new rows. One chunk per `everyRounds` alone fell behind
 * a few dozen rows a second and let the table grow without end.
 */
export class PruneSchedule {
  private rounds = 0;
  private backlog = false;

  constructor(
    private readonly everyRounds: number,
    private readonly chunk: number,
    private readonly deleteChunk: (limit: number) => Promise<number>,
  ) {}

  /** Called once per round of the task; returns the rows deleted (0 when this round does not prune). */
  async onRound(): Promise<number> {
    if (this.rounds++ % this.everyRounds !== 0 && !this.backlog) return 0;
    const deleted = await this.deleteChunk(this.chunk);
    this.backlog = deleted >= this.chunk;
    return deleted;
  }
}
