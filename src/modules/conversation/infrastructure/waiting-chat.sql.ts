import type { RetriedWork } from '../domain/assignment-retry';

/** Where each work keeps a chat's failed attempts and its retry time. */
export const FAILURE_COLUMNS: Record<RetriedWork, { failures: string; retryAt: string }> = {
  assignment: { failures: 'assignment_failures', retryAt: 'assignment_retry_at' },
  expiry: { failures: 'expiry_failures', retryAt: 'expiry_retry_at' },
};

const column = (of: string, name: string): string => (of ? `${of}.${name}` : name);

/**
 * A chat whose work failed is taken up again from its retry time on; NULL (no failure) nearly
 * always. `of`: the activity table's alias, or '' for none.
 */
export const dueFor = (work: RetriedWork, of = ''): string => {
  const retryAt = column(of, FAILURE_COLUMNS[work].retryAt);
  return `(${retryAt} IS NULL OR ${retryAt} <= NOW(3))`;
};

/**
 * An older chat of the same queue that waits for an agent and is offered now: what a chat's
 * first attempt serves before it (docs/assignment.md, Older chats first). `queueId` and
 * `beforeId` are SQL expressions; one parameter, the maximum wait in seconds. The plain read
 * that lists those chats and the activity lock's flag that says whether there are any both ask
 * this, so that a flag saying none means the read would find none.
 */
export const olderWaitingCondition = (of: string, queueId: string, beforeId: string): string =>
  `${column(of, 'queue_id')} = ${queueId} AND ${column(of, 'state')} = 'waiting' AND ${column(of, 'id')} < ${beforeId}` +
  ` AND ${column(of, 'waiting_since')} IS NOT NULL AND ${column(of, 'waiting_since')} > NOW(3) - INTERVAL ? SECOND AND ${dueFor('assignment', of)}`;
