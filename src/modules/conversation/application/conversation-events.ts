import type { ConversationEvent } from '../domain/conversation-event';

export interface RecordedEvent {
  messageId: string;
  /** Whether a webhook delivery was queued for it. */
  notified: boolean;
}

/**
 * Records an event in the caller's transaction: a transcript row, and, when the client
 * application should hear of it, an outbox row for the webhook queue. Callers dispatch
 * the outbox after commit like any other outbox message.
 */
export abstract class ConversationEvents {
  abstract record(event: ConversationEvent): Promise<RecordedEvent>;
}
