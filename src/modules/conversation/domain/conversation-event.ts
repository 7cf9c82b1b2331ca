/**
 * What happens in a conversation after its start, as the client application's webhook
 * hears it (`type.value` of a callback message) and as the transcript keeps it.
 */
export const CONVERSATION_EVENT_TYPES = [
  'text/plain',
  'text/html',
  'startTyping',
  'endTyping',
  'assigned',
  'transfer',
  'complete',
  'noAgentAvailable',
] as const;
export type ConversationEventType = (typeof CONVERSATION_EVENT_TYPES)[number];

export type EventSender = { type: 'user'; agentId: string } | { type: 'system' } | { type: 'customer' };

export interface ConversationEvent {
  conversationId: string;
  type: ConversationEventType;
  content?: string;
  sender: EventSender;
}

const TYPING: ReadonlySet<ConversationEventType> = new Set(['startTyping', 'endTyping']);

/**
 * Whether the client application is told: not of what its customer did itself, and
 * typing only for conversations started with sendTypingNotification=yes.
 */
export function reachesClientApplication(event: ConversationEvent, typingNotifications: boolean): boolean {
  if (event.sender.type === 'customer') return false;
  if (TYPING.has(event.type)) return typingNotifications;
  return true;
}

/**
 * Whether the event is written to the transcript (the message table). Typing is a notice of the
 * moment, for the webhook alone (its delivery keeps a copy): the transcript never shows it, and a
 * row per keystroke pause, kept for as long as the conversation, grew the table for nothing.
 */
export function keptInTranscript(event: ConversationEvent): boolean {
  return !TYPING.has(event.type);
}
