export interface WaitingChat {
  activityId: string;
  conversationId: string;
  queueId: string;
}

/** A waiting chat locked for assignment, and how long it has waited by the database's clock. */
export interface LockedWaitingChat extends WaitingChat {
  waitedMs: number;
}

/**
 * The waiting side of a queue. "Waiting" counts from when the activity entered its
 * queue (its start, or its last transfer to a queue); past `maxWaitSeconds` an activity
 * is no longer offered to agents and only the expiry takes it.
 */
export abstract class AssignmentRepository {
  /** Locks the oldest waiting, not overdue activity of the queue that no other transaction holds. */
  abstract lockOldestWaiting(queueId: string, maxWaitSeconds: number): Promise<LockedWaitingChat | undefined>;
  /** Locks up to `limit` overdue waiting activities of the queue that no other transaction holds. */
  abstract lockOverdue(queueId: string, maxWaitSeconds: number, limit: number): Promise<WaitingChat[]>;
  abstract markUnassigned(activityIds: readonly string[]): Promise<void>;
  /** Whether the queue has a waiting, not overdue activity (a plain read: no lock, latest committed state). */
  abstract hasWaiting(queueId: string, maxWaitSeconds: number): Promise<boolean>;
}
