/** Doublings of the first delay before the back-off stops growing: 64 sweep periods. */
const MAX_DOUBLINGS = 6;

/**
 * How long a chat whose assignment failed for the `failures`-th time in a row is left out
 * before it is tried again: one sweep period (`periodMs`) after the first failure, doubling
 * with each further one up to 64 periods (5 s to about 5 min with the defaults, by when the
 * maximum wait has usually ended the chat). Long enough that a chat which keeps failing costs
 * its queue an attempt now and then, not one per drain; short enough that one which failed
 * for a passing reason is soon assigned.
 */
export function assignmentRetryDelayMs(failures: number, periodMs: number): number {
  const doublings = Math.min(MAX_DOUBLINGS, Math.max(0, Math.floor(failures) - 1));
  return periodMs * 2 ** doublings;
}
