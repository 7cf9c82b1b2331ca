import { Logger } from '@nestjs/common';
import { MAX_DURATION_MS } from '../config/app-config';
import { PeriodicTask } from './periodic-task';

describe('PeriodicTask', () => {
  it('waits for an interval at the settings bound moved up by its jitter instead of running after 1 ms', async () => {
    const rounds = jest.fn(async () => undefined);
    // The longest delay withJitter gives an interval of MAX_DURATION_MS, the bound of
    // AGENT_PRESENCE_SWEEP_INTERVAL_MS and ASSIGNMENT_RETRY_INTERVAL_MS.
    const task = new PeriodicTask('test round', () => MAX_DURATION_MS * 1.25, rounds, new Logger('test'));
    task.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await task.stop();
    expect(rounds).not.toHaveBeenCalled();
  });
});
