import { CheckTimeout } from './check-failure';
import { withTimeout } from './with-timeout';

describe('withTimeout', () => {
  afterEach(() => jest.useRealTimers());

  it('answers what the probe answers in time, and leaves no timer behind to hold the process up', async () => {
    jest.useFakeTimers();
    await expect(withTimeout(Promise.resolve('PONG'), 1000, 'redis')).resolves.toBe('PONG');
    expect(jest.getTimerCount()).toBe(0);
    await expect(withTimeout(Promise.reject(new Error('refused')), 1000, 'redis')).rejects.toThrow('refused');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('fails with a CheckTimeout naming the check once its bound has passed without an answer', async () => {
    jest.useFakeTimers();
    const never = new Promise<never>(() => undefined);
    const bounded = withTimeout(never, 1000, 'redis');
    const outcome = bounded.then(() => 'answered', (err: unknown) => err);
    jest.advanceTimersByTime(999);
    await Promise.resolve();
    jest.advanceTimersByTime(1);
    const err = await outcome;
    expect(err).toBeInstanceOf(CheckTimeout);
    expect((err as Error).message).toBe('redis did not answer within 1000 ms');
  });
});
