/**
 * Group commit for calls that each need a round of work against a shared resource: a call
 * made while a batch is running waits for it and then runs with every other call that
 * arrived meanwhile, as the next batch; a call made when nothing runs starts a batch at once,
 * so an idle system pays no delay. Under load the batches grow by themselves, up to
 * `maxBatch` keys, and with them what one round (a transaction, its commit) is shared by.
 *
 * `runBatch` answers every key of a batch, in the order given, with a value or an Error;
 * if it throws, every call of that batch fails with what it threw.
 */
export class Coalescer<K, V> {
  private readonly pending: { key: K; resolve: (value: V) => void; reject: (err: unknown) => void }[] = [];
  private running = 0;

  constructor(
    private readonly runBatch: (keys: K[]) => Promise<readonly (V | Error)[]>,
    private readonly maxBatch: number,
    /** Batches that may run at the same time. */
    private readonly lanes = 1,
  ) {
    if (!(maxBatch >= 1) || !(lanes >= 1)) throw new RangeError('maxBatch and lanes must be at least 1');
  }

  submit(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      this.pending.push({ key, resolve, reject });
      if (this.running < this.lanes) void this.lane();
    });
  }

  private async lane(): Promise<void> {
    this.running++;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        try {
          const results = await this.runBatch(batch.map((call) => call.key));
          batch.forEach((call, i) => {
            const result = results[i];
            if (result instanceof Error) call.reject(result);
            else if (i < results.length) call.resolve(result);
            else call.reject(new Error(`batch answered ${results.length} of ${batch.length} calls`));
          });
        } catch (err) {
          for (const call of batch) call.reject(err);
        }
      }
    } finally {
      this.running--;
    }
  }
}
