import { CheckTimeout } from './check-failure';

/**
 * Bounds a probe: Bull's Redis client queues commands while it reconnects (it is built
 * with maxRetriesPerRequest: null), so a ping during an outage would otherwise never settle.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
