import { AppError } from '../errors/app-error';
import { RetryableConflict, isRetryableConflict, retryOnConflict } from './transaction-retry';

/** An attempt that fails with each of `errors` in turn, then answers 'done'. */
function failingWith(...errors: unknown[]) {
  return jest.fn(async () => {
    const next = errors.shift();
    if (next !== undefined) throw next;
    return 'done';
  });
}

const deadlock = () => Object.assign(new Error('Deadlock found when trying to get lock'), { code: 'ER_LOCK_DEADLOCK' });

describe('retryOnConflict', () => {
  it('runs the attempt again after a deadlock, whether the driver error is its own or wrapped by TypeORM', async () => {
    const wrapped = Object.assign(new Error('query failed'), { driverError: { code: 'ER_LOCK_DEADLOCK' } });
    const attempt = failingWith(deadlock(), wrapped);
    await expect(retryOnConflict(attempt)).resolves.toBe('done');
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('does not run again after an error a fresh transaction cannot resolve', async () => {
    const timeout = Object.assign(new Error('Lock wait timeout exceeded'), { code: 'ER_LOCK_WAIT_TIMEOUT' });
    const attempt = failingWith(timeout);
    await expect(retryOnConflict(attempt)).rejects.toBe(timeout);
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('gives up after maxAttempts, throwing the last error', async () => {
    const last = deadlock();
    const attempt = failingWith(deadlock(), deadlock(), last, deadlock());
    await expect(retryOnConflict(attempt, 3)).rejects.toBe(last);
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('throws what an exhausted RetryableConflict says it means for the caller, not the conflict itself', async () => {
    const meaning = new AppError('InternalError', 'the customer cannot be found');
    const attempt = failingWith(...Array.from({ length: 2 }, () => new RetryableConflict('created concurrently', () => meaning)));
    await expect(retryOnConflict(attempt, 2)).rejects.toBe(meaning);
  });
});

describe('isRetryableConflict', () => {
  it('takes a deadlock and a RetryableConflict, never a domain error', () => {
    expect(isRetryableConflict(deadlock())).toBe(true);
    expect(isRetryableConflict(new RetryableConflict('again'))).toBe(true);
    expect(isRetryableConflict(Object.assign(new AppError('InternalError', 'x'), { code: 'ER_LOCK_DEADLOCK' }))).toBe(false);
    expect(isRetryableConflict(Object.assign(new Error('dup'), { code: 'ER_DUP_ENTRY' }))).toBe(false);
  });
});
