import type { StoredOutboxMessage } from '../../../platform/outbox/outbox';
import type { ConversationEvent } from '../domain/conversation-event';

export interface RecordedEvent {
  messageId: string;
  /** Whether a webhook delivery was queued for it. */
  notified: boolean;
  /** When it happened: the transcript's and the callback's timeStamp. */
  occurredAt: Date;
  /** The delivery job to dispatch after commit, when `notified`. */
  outboxMessage?: StoredOutboxMessage;
  /** The correlation id the conversation was started under: what its log lines carry, whoever acts on it. */
  correlationId: string;
}

/**
 * What recording an event needs to know of a conversation, when the caller already holds
 * its activity locked and has read these with the lock.
 */
export interface LockedConversation {
  activityId: string;
  clientApplicationId: string;
  correlationId: string;
  typingNotifications: boolean;
}

/**
 * Records an event in the caller's transaction: a transcript row, and, when the client
 * application should hear of it, a pending callback event with an outbox row for the
 * webhook queue. Callers dispatch `outboxMessage` after commit like any other outbox
 * message (the worker's relay does it otherwise). The conversation stays locked until the
 * caller's transaction ends, so the events of one conversation are delivered in the order
 * they were recorded.
 */
export abstract class ConversationEvents {
  /** With `locked`, the caller holds the activity locked already and the lookups are skipped. */
  abstract record(event: ConversationEvent, locked?: LockedConversation): Promise<RecordedEvent>;
}
