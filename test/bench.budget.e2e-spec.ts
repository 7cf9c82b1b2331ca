/** bench/lib/budget.js: the whole run's time budget (--budget) shared among the sections up front. */
const { Budget, USUAL_SECONDS, CLOSING_SECONDS } = require('../bench/lib/budget') as {
  Budget: new (options: { budgetSeconds: number; sections: Set<number>; quick: boolean; now: () => number }) => {
    end: number;
    deadlines: Map<number, number>;
    leftOut: { section: number; what: string; atSeconds: number }[];
    deadlineSeconds(section: number): number;
    allows(section: number, ms: number, what?: string): boolean;
  };
  USUAL_SECONDS: Record<'full' | 'quick', Record<number, number>>;
  CLOSING_SECONDS: number;
};

const ALL = new Set([1, 2, 3, 4, 5]);

/** A clock the test moves by hand. */
function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('bench: the time budget is shared among the sections up front', () => {
  it('gives each section its share in run order, the memory section last, and keeps the closing seconds', () => {
    const budget = new Budget({ budgetSeconds: 120, sections: ALL, quick: true, now: clock().now });
    const usual = USUAL_SECONDS.quick;
    const total = [1, 2, 3, 4, 5].reduce((sum, s) => sum + usual[s], 0);
    const spendable = 120 - CLOSING_SECONDS;

    expect([...budget.deadlines.keys()]).toEqual([1, 2, 3, 5, 4]);
    expect(budget.deadlineSeconds(4)).toBeCloseTo(spendable);
    expect(budget.deadlineSeconds(4) - budget.deadlineSeconds(5)).toBeCloseTo((spendable * usual[4]) / total);
    expect(budget.deadlineSeconds(1)).toBeCloseTo((spendable * usual[1]) / total);
  });

  it('gives a section run alone the whole budget', () => {
    const budget = new Budget({ budgetSeconds: 120, sections: new Set([4]), quick: true, now: clock().now });
    expect(budget.deadlineSeconds(4)).toBeCloseTo(120 - CLOSING_SECONDS);
  });

  it.each([true, false])('on a machine three times slower, shortens every section and leaves the memory section its share (quick: %s)', (quick) => {
    const c = clock();
    const budgetSeconds = quick ? 120 : 520;
    const budget = new Budget({ budgetSeconds, sections: ALL, quick, now: c.now });
    const usual = USUAL_SECONDS[quick ? 'quick' : 'full'];
    const ran: Record<number, number> = { 1: 0, 2: 0, 3: 0, 5: 0, 4: 0 };
    // Each earlier section as 4 points, each three times its usual length, as run.js asks before each point.
    for (const section of [1, 2, 3, 5]) {
      const pointMs = ((usual[section] / 4) * 3) * 1000;
      for (let i = 0; i < 4; i++) {
        if (!budget.allows(section, pointMs, `S${section} point ${i}`)) continue;
        c.advance(pointMs);
        ran[section]++;
      }
    }
    // The memory section in chunks of a tenth of its usual length, each three times slower, then a 5 s reading.
    const memoryStart = c.now();
    const chunkMs = ((usual[4] / 10) * 3) * 1000;
    while (budget.allows(4, chunkMs + 5000)) {
      c.advance(chunkMs);
      ran[4]++;
    }
    c.advance(5000);

    for (const section of [1, 2, 3, 5, 4]) expect(ran[section]).toBeGreaterThan(0);
    expect(ran[1] + ran[2] + ran[3] + ran[5]).toBeLessThan(16);
    expect(budget.leftOut.length).toBe(16 - (ran[1] + ran[2] + ran[3] + ran[5]));
    const memoryShare = budget.deadlineSeconds(4) - budget.deadlineSeconds(5);
    expect(budget.deadlineSeconds(4) - memoryStart / 1000).toBeGreaterThanOrEqual(memoryShare);
    expect(c.now()).toBeLessThanOrEqual(budget.end - CLOSING_SECONDS * 1000);
  });

  it('leaves the time a section did not use to the sections after it', () => {
    const c = clock();
    const budget = new Budget({ budgetSeconds: 120, sections: ALL, quick: true, now: c.now });
    c.advance(1000); // section 1 done at once
    const share2 = (budget.deadlineSeconds(2) - budget.deadlineSeconds(1)) * 1000;
    expect(budget.allows(2, share2 + 5000)).toBe(true);
  });

  it('records what it leaves out only when it is named', () => {
    const c = clock();
    const budget = new Budget({ budgetSeconds: 120, sections: ALL, quick: true, now: c.now });
    c.advance(budget.deadlineSeconds(1) * 1000);
    expect(budget.allows(1, 1)).toBe(false);
    expect(budget.allows(1, 1, 'S1 floor, 64 workers')).toBe(false);
    expect(budget.leftOut).toEqual([{ section: 1, what: 'S1 floor, 64 workers', atSeconds: budget.deadlineSeconds(1) }]);
  });
});
