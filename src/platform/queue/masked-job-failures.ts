import Queue from 'bull';
import { maskedErrorStack, maskedErrorText } from '../errors/masked-error-text';

type MoveToFailed = ((err: unknown, ignoreLock?: boolean) => Promise<unknown>) & { masksFailures?: true };

/** Bull's Job class, which its typings describe as an interface only. */
const jobPrototype = (Queue as unknown as { Job: { prototype: { moveToFailed: MoveToFailed } } }).Job.prototype;

/**
 * An error as Bull keeps it for a failed attempt: the same error (its class, code and every other
 * field, which a back-off strategy may read) seen through its message and stack masked as the logs
 * mask them. Anything but an object with a string message passes unchanged.
 */
export function jobFailure(err: unknown): unknown {
  if (typeof err !== 'object' || err === null || typeof (err as { message?: unknown }).message !== 'string') return err;
  const { message, stack } = err as { message: string; stack?: unknown };
  return Object.create(err, {
    message: { value: maskedErrorText(message), enumerable: false },
    ...(typeof stack === 'string' ? { stack: { value: maskedErrorStack(stack, message), enumerable: false } } : {}),
  }) as unknown;
}

/**
 * Makes every failed attempt of every job of this process keep, as Bull writes it to Redis
 * (`failedReason`, `stacktrace`, which the queue dashboard shows), the error masked by jobFailure.
 * A processor's error may be a statement's, whose message quotes a customer's data (`Duplicate entry
 * 'ada@example.com' for key …`). Done where Bull records the failure, for every processor at once
 * (those registered with `@Process` and those with `queue.process`); the attempt still fails, and is
 * retried or not, as before. Installing twice changes nothing.
 */
export function installMaskedJobFailures(): void {
  const moveToFailed = jobPrototype.moveToFailed;
  if (moveToFailed.masksFailures) return;
  const masked: MoveToFailed = function (this: unknown, err: unknown, ignoreLock?: boolean) {
    return moveToFailed.call(this, jobFailure(err), ignoreLock);
  };
  masked.masksFailures = true;
  jobPrototype.moveToFailed = masked;
}
