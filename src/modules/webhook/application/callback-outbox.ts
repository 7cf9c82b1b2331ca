import type { StoredOutboxMessage } from '../../../platform/outbox/outbox';

/** An event the client application must hear of, as the conversation module records it. */
export interface CallbackEvent {
  messageId: string;
  conversationId: string;
  clientApplicationId: string;
  correlationId: string;
  type: string;
  content: string | null;
  sender: { type: 'user'; agentId: string } | { type: 'system' };
  occurredAt: Date;
}

/**
 * Queues an event for the application's callback in the caller's transaction: it exists
 * if and only if the transaction commits. The caller dispatches the returned outbox
 * message after commit (the worker's relay does it otherwise). An application without a
 * callback URL has nothing to deliver to: nothing is queued and the answer is undefined.
 */
export abstract class CallbackOutbox {
  abstract enqueue(event: CallbackEvent): Promise<StoredOutboxMessage | undefined>;
}
