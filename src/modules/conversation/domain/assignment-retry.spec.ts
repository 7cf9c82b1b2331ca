import { assignmentRetryDelayMs } from './assignment-retry';

describe('assignmentRetryDelayMs', () => {
  it('waits one period after the first failure and doubles with each further one', () => {
    expect([1, 2, 3, 4].map((n) => assignmentRetryDelayMs(n, 5000))).toEqual([5000, 10000, 20000, 40000]);
  });

  it('stops growing at 64 periods', () => {
    expect(assignmentRetryDelayMs(7, 5000)).toBe(320000);
    expect(assignmentRetryDelayMs(1000, 5000)).toBe(320000);
  });
});
