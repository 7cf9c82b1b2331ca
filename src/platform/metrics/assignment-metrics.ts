import { assignmentFailures, assignmentLatency, expiryFailures } from './registry';

/**
 * Observes one assignment in `assignment_latency_seconds`: how long the activity had waited
 * (by the database's clock) when the assigning transaction locked it. Every way a chat gets its
 * agent calls it once, after the assignment committed: the assignment job and the drain of a
 * queue (a chat that waited for an agent, or was handed back to its queue).
 */
export function recordAssignmentLatency(waitedMs: number): void {
  assignmentLatency.observe(Math.max(0, waitedMs) / 1000);
}

/**
 * Counts one failed assignment attempt of a chat, failed for a reason of its own (a row the
 * database rejects, a defect); the chat is left out for a while and tried again. Every way a
 * chat is assigned calls it once per such attempt.
 */
export function recordAssignmentFailure(): void {
  assignmentFailures.inc();
}

/**
 * Counts one failed ending of an overdue waiting conversation by the sweep, failed for a reason
 * of its own; the conversation is left out for a while and tried again.
 */
export function recordExpiryFailure(): void {
  expiryFailures.inc();
}
