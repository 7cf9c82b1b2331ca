import { QueryFailedError } from 'typeorm';
import { jobFailure } from './masked-job-failures';

describe('jobFailure', () => {
  const failedStatement = () => {
    const driverError = Object.assign(new Error("Duplicate entry 'ada@example.com' for key 'PRIMARY'"), { code: 'ER_DUP_ENTRY', errno: 1062 });
    return new QueryFailedError('INSERT INTO t (email) VALUES (?)', ['ada@example.com'], driverError);
  };

  it('masks the values MySQL quotes in the message and the head of the stack, and keeps the frames', () => {
    const err = failedStatement();
    const failure = jobFailure(err) as Error;
    expect(failure.message).toBe("Duplicate entry '…' for key 'PRIMARY'");
    expect(failure.stack).toMatch(/^QueryFailedError: Duplicate entry '…' for key 'PRIMARY'\n\s+at /);
    expect(failure.stack).not.toContain('ada@example.com');
  });

  it('is otherwise the same error, so that what decides a retry reads what it read before', () => {
    const err = failedStatement();
    const failure = jobFailure(err) as QueryFailedError & { code?: string };
    expect(failure).toBeInstanceOf(QueryFailedError);
    expect(failure.code).toBe('ER_DUP_ENTRY');
    expect(failure.name).toBe(err.name);
    expect(err.message).toContain('ada@example.com');
  });

  it('passes what is not an error unchanged', () => {
    expect(jobFailure('a reason')).toBe('a reason');
    expect(jobFailure(undefined)).toBeUndefined();
  });
});
