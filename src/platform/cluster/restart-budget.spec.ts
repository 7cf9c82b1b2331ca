import { RestartBudget } from './restart-budget';

describe('RestartBudget', () => {
  it('allows as many exits as its limit within the window, not one more', () => {
    const budget = new RestartBudget(3, 60000);
    expect([0, 10, 20].map((t) => budget.allows(t))).toEqual([true, true, true]);
    expect(budget.allows(30)).toBe(false);
    expect(budget.recent).toBe(4);
  });

  it('forgets exits once they are older than the window', () => {
    const budget = new RestartBudget(2, 1000);
    expect(budget.allows(0)).toBe(true);
    expect(budget.allows(500)).toBe(true);
    // The exit at 0 is a full window old: two exits within the window.
    expect(budget.allows(1000)).toBe(true);
    expect(budget.recent).toBe(2);
    expect(budget.allows(1400)).toBe(false);
  });

  it('with a limit of 0 allows no exit at all', () => {
    expect(new RestartBudget(0, 60000).allows(0)).toBe(false);
  });
});
