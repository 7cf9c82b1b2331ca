import type { QueueName } from '../queue/queues';

/** A side effect to run after commit: a job for one of the queues. */
export interface OutboxMessage {
  queue: QueueName;
  jobName: string;
  jobId: string;
  payload: Record<string, unknown>;
}

export interface StoredOutboxMessage extends OutboxMessage {
  id: string;
}

/**
 * Writes messages in the caller's transaction; they exist if and only if it commits.
 * `dispatch` hands committed messages to the queues at once (the fast path); the relay
 * in the worker catches anything the fast path missed.
 */
export abstract class Outbox {
  abstract add(message: OutboxMessage): Promise<StoredOutboxMessage>;
  abstract dispatch(messages: StoredOutboxMessage[]): void;
}
