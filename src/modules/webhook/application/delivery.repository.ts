import type { PendingEvent } from '../domain/callback-message';

export interface PendingBatch {
  clientApplicationId: string;
  /** Also the `webhook-id` of every attempt to send it. */
  batchId: string;
  events: PendingEvent[];
  /** The attempts already made to send its events (the most any of them had). */
  attempts: number;
}

export type SettledState = 'delivered' | 'rejected' | 'skipped';

/** Events waiting for delivery, per client application, in delivery order. */
export abstract class DeliveryRepository {
  /**
   * The batch to send next: a batch already attempted and not settled comes back with
   * the same id and the same events (so a retry is byte-for-byte the same request but
   * for its timestamp); otherwise the oldest pending events, up to `max`, become one.
   * The caller must hold the application's delivery lease.
   */
  abstract nextBatch(clientApplicationId: string, max: number): Promise<PendingBatch | undefined>;
  abstract settle(batch: PendingBatch, state: SettledState, result: string): Promise<void>;
  abstract noteFailedAttempt(batch: PendingBatch, result: string): Promise<void>;
  /**
   * Gives up an attempted batch without settling it: its events are pending again, and the
   * next `nextBatch` makes a new batch (a new id) of the oldest of them.
   */
  abstract dissolve(batch: PendingBatch): Promise<void>;
  abstract hasPending(clientApplicationId: string): Promise<boolean>;
  abstract counts(clientApplicationId: string): Promise<{ pending: number; rejected: number }>;
  /** Active applications with pending events that nobody is delivering and no retry is waiting for. */
  abstract idleWithPending(limit: number): Promise<string[]>;
  /** Deletes settled events older than the retention, at most `limit` of them; returns how many. */
  abstract prune(retentionHours: number, limit: number): Promise<number>;
}

/**
 * Deliveries to one application happen one at a time (that is what keeps their order):
 * a worker holds the application's lease while it sends, and a failed attempt leaves a
 * time before which nobody retries.
 */
export abstract class DeliveryLease {
  /** A lease token, or undefined when another worker holds the lease or a retry is not due yet. */
  abstract claim(clientApplicationId: string, leaseMs: number): Promise<string | undefined>;
  /** False when the lease was lost (it expired and another worker took it). */
  abstract extend(clientApplicationId: string, token: string, leaseMs: number): Promise<boolean>;
  /** Gives the lease back; with `retryInMs`, nobody claims it again before then. */
  abstract release(clientApplicationId: string, token: string, retryInMs?: number): Promise<void>;
  /** Forgets a waiting retry (the URL was reactivated or changed). */
  abstract clearRetry(clientApplicationId: string): Promise<void>;
}
