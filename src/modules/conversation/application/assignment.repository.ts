import type { RetriedWork } from '../domain/assignment-retry';

export interface WaitingChat {
  activityId: string;
  conversationId: string;
  queueId: string;
}

/** A waiting chat locked for assignment, and how long it has waited by the database's clock. */
export interface LockedWaitingChat extends WaitingChat {
  waitedMs: number;
}

/** A waiting chat locked to record a failed assignment (or ending) of it. */
export interface FailingChat {
  /** Its failed attempts at the same work before this one. */
  failures: number;
  /** The correlation id it was started under: what its log lines carry. */
  correlationId: string;
}

/**
 * The waiting side of a queue. "Waiting" counts from when the activity entered its
 * queue (its start, or its last transfer to a queue); past `maxWaitSeconds` an activity
 * is no longer offered to agents and only the expiry takes it. A chat whose assignment failed
 * for a reason of its own is not offered either until its retry time (`deferAfterFailure`).
 */
export abstract class AssignmentRepository {
  /** Locks the oldest waiting, not overdue activity of the queue that no other transaction holds. */
  abstract lockOldestWaiting(queueId: string, maxWaitSeconds: number): Promise<LockedWaitingChat | undefined>;
  /**
   * Locks up to `limit` activities of the queue older than `beforeId` that wait for an agent
   * (`waiting_since` set: an attempt found none, or a transfer put them there), not overdue,
   * that no other transaction holds; oldest first. Chats whose first attempt has not run yet
   * are not among them: they are on their way, not waiting for a slot.
   */
  abstract lockOlderWaiting(queueId: string, beforeId: string, limit: number, maxWaitSeconds: number): Promise<LockedWaitingChat[]>;
  /**
   * Records that the activity waits for an agent (an attempt found none), its wait still
   * counted from its start: from then on a newer chat of its queue does not go before it.
   */
  abstract markWaitingForAgent(activityId: string): Promise<void>;
  /** Locks the activity if it is still waiting, with its failed attempts at `work` so far; undefined otherwise. */
  abstract lockFailing(activityId: string, work: RetriedWork): Promise<FailingChat | undefined>;
  /**
   * Records the chat's failed attempts at `work` and leaves it out of that work for `retryInMs`:
   * an assignment's out of drains and newer chats' first attempts (it waits for an agent from
   * then on, as one an attempt found none for), an ending's out of the expiry.
   */
  abstract deferAfterFailure(activityId: string, work: RetriedWork, failures: number, retryInMs: number): Promise<void>;
  /**
   * Up to `limit` overdue waiting activities of the queue, oldest first, leaving out those whose
   * ending failed until their retry time (a plain read: no lock, latest committed state).
   */
  abstract findOverdue(queueId: string, maxWaitSeconds: number, limit: number): Promise<WaitingChat[]>;
  /** Locks those of `activityIds` still overdue and waiting (and not left out after a failed ending) that no other transaction holds. */
  abstract lockOverdue(activityIds: readonly string[], maxWaitSeconds: number): Promise<WaitingChat[]>;
  /** Ends waiting activities without an agent: state 'unassigned', completed now. */
  abstract endUnassigned(activityIds: readonly string[]): Promise<void>;
  /** Whether the queue has a waiting, not overdue activity, not left out after a failure (a plain read: no lock, latest committed state). */
  abstract hasWaiting(queueId: string, maxWaitSeconds: number): Promise<boolean>;
}
