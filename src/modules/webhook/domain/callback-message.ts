/** One event as it waits for delivery: a snapshot taken when it happened. */
export interface PendingEvent {
  seq: string;
  messageId: string;
  conversationId: string;
  correlationId: string;
  type: string;
  content: string | null;
  sender: { type: 'user'; agentId: string } | { type: 'system' };
  occurredAt: Date;
}

export interface CallbackMessage {
  id: string;
  conversation: { id: string };
  type: { value: string };
  content?: string;
  sender: { type: 'user'; user: { id: string; name: string } } | { type: 'system' };
  timeStamp: number;
}

/** The `message` element of a callback body; `id` is the transcript id, stable across retries. */
export function callbackMessage(event: PendingEvent, agentName: (agentId: string) => string): CallbackMessage {
  return {
    id: event.messageId,
    conversation: { id: event.conversationId },
    type: { value: event.type },
    ...(event.content !== null ? { content: event.content } : {}),
    sender: event.sender.type === 'user' ? { type: 'user', user: { id: event.sender.agentId, name: agentName(event.sender.agentId) } } : { type: 'system' },
    timeStamp: event.occurredAt.getTime(),
  };
}

/** Hard limit of the contract, whatever WEBHOOK_MAX_BATCH says. */
export const MAX_MESSAGES_PER_CALLBACK = 1000;
