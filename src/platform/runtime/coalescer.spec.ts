import { Coalescer } from './coalescer';

/** A batch function whose batches the test finishes by hand, recording what each one held. */
function manualBatches() {
  const batches: { keys: string[]; finish: (results?: readonly (string | Error)[]) => void; fail: (err: unknown) => void }[] = [];
  const run = (keys: string[]) =>
    new Promise<readonly (string | Error)[]>((resolve, reject) => {
      batches.push({ keys, finish: (results) => resolve(results ?? keys.map((k) => `done ${k}`)), fail: reject });
    });
  return { batches, run };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('Coalescer', () => {
  it('runs a call made while nothing runs at once, alone', async () => {
    const { batches, run } = manualBatches();
    const coalescer = new Coalescer(run, 8);
    const a = coalescer.submit('a');
    expect(batches.map((b) => b.keys)).toEqual([['a']]);
    batches[0].finish();
    await expect(a).resolves.toBe('done a');
  });

  it('puts the calls made while a batch runs together into the next one, each answered with its own result', async () => {
    const { batches, run } = manualBatches();
    const coalescer = new Coalescer(run, 8);
    const first = coalescer.submit('a');
    const rest = ['b', 'c', 'd'].map((k) => coalescer.submit(k));
    expect(batches).toHaveLength(1);
    batches[0].finish();
    await first;
    await settled();
    expect(batches.map((b) => b.keys)).toEqual([['a'], ['b', 'c', 'd']]);
    batches[1].finish(['one', 'two', 'three']);
    await expect(Promise.all(rest)).resolves.toEqual(['one', 'two', 'three']);
  });

  it('keeps batches within maxBatch, in the order the calls came', async () => {
    const { batches, run } = manualBatches();
    const coalescer = new Coalescer(run, 2);
    const calls = ['a', 'b', 'c', 'd', 'e', 'f'].map((k) => coalescer.submit(k));
    for (let i = 0; i < 4; i++) {
      batches[i].finish();
      await settled();
    }
    expect(batches.map((b) => b.keys)).toEqual([['a'], ['b', 'c'], ['d', 'e'], ['f']]);
    await expect(Promise.all(calls)).resolves.toEqual(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => `done ${k}`));
  });

  it('runs up to `lanes` batches at the same time', async () => {
    const { batches, run } = manualBatches();
    const coalescer = new Coalescer(run, 8, 2);
    const calls = ['a', 'b', 'c', 'd'].map((k) => coalescer.submit(k));
    expect(batches.map((b) => b.keys)).toEqual([['a'], ['b']]);
    batches[1].finish();
    await settled();
    expect(batches.map((b) => b.keys)).toEqual([['a'], ['b'], ['c', 'd']]);
    batches[0].finish();
    batches[2].finish();
    await expect(Promise.all(calls)).resolves.toHaveLength(4);
  });

  it('fails only the calls answered with an Error, and every call of a batch that throws; later calls still run', async () => {
    const { batches, run } = manualBatches();
    const coalescer = new Coalescer(run, 8);
    const a = coalescer.submit('a');
    const [b, c] = ['b', 'c'].map((k) => coalescer.submit(k));
    batches[0].fail(new Error('down'));
    await expect(a).rejects.toThrow('down');
    await settled();
    batches[1].finish([new Error('b refused'), 'c ok']);
    await expect(b).rejects.toThrow('b refused');
    await expect(c).resolves.toBe('c ok');
    const d = coalescer.submit('d');
    batches[2].finish();
    await expect(d).resolves.toBe('done d');
  });

  it('fails the calls a batch left unanswered', async () => {
    const { batches, run } = manualBatches();
    const coalescer = new Coalescer(run, 8);
    const a = coalescer.submit('a');
    const [b, c] = ['b', 'c'].map((k) => coalescer.submit(k));
    batches[0].finish();
    await a;
    await settled();
    batches[1].finish(['b only']);
    await expect(b).resolves.toBe('b only');
    await expect(c).rejects.toThrow('batch answered 1 of 2 calls');
  });

  it('refuses a batch size or lane count below one', () => {
    const { run } = manualBatches();
    expect(() => new Coalescer(run, 0)).toThrow(RangeError);
    expect(() => new Coalescer(run, 1, 0)).toThrow(RangeError);
  });
});
