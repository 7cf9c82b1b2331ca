import { AppError } from '../errors/app-error';

/**
 * A conflict that a fresh transaction resolves, e.g. another start created the same customer
 * first. `whenExhausted` names what it means for the caller if retrying never resolves it.
 */
export class RetryableConflict extends Error {
  constructor(message: string, readonly whenExhausted?: () => Error) {
    super(message);
  }
}

/** Whether a fresh transaction may resolve the error: a deadlock, or a RetryableConflict. */
export function isRetryableConflict(err: unknown): boolean {
  if (err instanceof RetryableConflict) return true;
  if (err instanceof AppError) return false;
  const code = (err as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (err as { code?: string }).code;
  return code === 'ER_LOCK_DEADLOCK';
}

/** Runs `attempt` (which opens its own transaction) again when it failed on a retryable conflict. */
export async function retryOnConflict<T>(attempt: () => Promise<T>, maxAttempts = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (i >= maxAttempts || !isRetryableConflict(err)) throw err instanceof RetryableConflict && err.whenExhausted ? err.whenExhausted() : err;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * i));
    }
  }
}

export function isDuplicateKey(err: unknown): boolean {
  const code = (err as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (err as { code?: string }).code;
  return code === 'ER_DUP_ENTRY';
}
