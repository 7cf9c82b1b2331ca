/** Doublings of the first delay before the back-off stops growing: 64 sweep periods. */
const MAX_DOUBLINGS = 6;

/**
 * What of a waiting chat can fail for a reason of its own and be tried again later: its
 * assignment to an agent, or its ending once it waited the maximum wait. Each keeps its own
 * count and retry time: a chat left out of assignments after failing there is still ended at
 * its deadline, and one whose ending failed is past any assignment.
 */
export type RetriedWork = 'assignment' | 'expiry';

/**
 * How long a chat whose assignment (or ending) failed for the `failures`-th time in a row is
 * left out before it is tried again: one sweep period (`periodMs`) after the first failure,
 * doubling with each further one up to 64 periods (5 s to about 5 min with the defaults, by
 * when the maximum wait has usually ended the chat). Long enough that a chat which keeps failing
 * costs its queue an attempt now and then, not one per drain or sweep; short enough that one
 * which failed for a passing reason is soon assigned or ended.
 */
export function assignmentRetryDelayMs(failures: number, periodMs: number): number {
  const doublings = Math.min(MAX_DOUBLINGS, Math.max(0, Math.floor(failures) - 1));
  return periodMs * 2 ** doublings;
}
