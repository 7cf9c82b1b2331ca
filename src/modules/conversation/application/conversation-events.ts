import type { StoredOutboxMessage } from '../../../platform/outbox/outbox';
import type { ConversationEvent } from '../domain/conversation-event';

export interface RecordedEvent {
  messageId: string;
  /** Whether a webhook delivery was queued for it. */
  notified: boolean;
  /** The outbox row of that delivery, for the caller to dispatch after commit. */
  outboxMessage?: StoredOutboxMessage;
}

/**
 * Records an event in the caller's transaction: a transcript row, and, when the client
 * application should hear of it, an outbox row for the webhook queue. Callers dispatch
 * the outbox after commit like any other outbox message.
 */
export abstract class ConversationEvents {
  abstract record(event: ConversationEvent): Promise<RecordedEvent>;
}
