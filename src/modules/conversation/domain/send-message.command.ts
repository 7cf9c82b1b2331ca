import { AppError } from '../../../platform/errors/app-error';
import { CONTROL_EXCEPT_LINE_BREAKS, NOT_XML_CHARACTER } from '../../../platform/text/text-rules';

/** What each side may send with sendmessage. The customer also ends the conversation this way. */
export const CUSTOMER_MESSAGE_TYPES = ['text/plain', 'startTyping', 'endTyping', 'complete'] as const;
export const AGENT_MESSAGE_TYPES = ['text/plain', 'text/html', 'startTyping', 'endTyping'] as const;
export type CustomerMessageType = (typeof CUSTOMER_MESSAGE_TYPES)[number];
export type AgentMessageType = (typeof AGENT_MESSAGE_TYPES)[number];

export const MAX_MESSAGE_LENGTH = 10000;
const CONVERSATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RawMessage {
  conversationId: string;
  type: string;
  content?: string;
}

function invalid(field: string, reason: string): AppError {
  return new AppError('BodyInvalid', `${field}: ${reason}`, field, { field });
}

/** A message to send, checked on its own: the type is one the sender may use, text carries 1..10000 characters, no control character but tab and line breaks, and neither U+FFFE nor U+FFFF. */
export class SendMessageCommand<T extends string> {
  private constructor(readonly conversationId: string, readonly type: T, readonly content: string | undefined) {}

  static forCustomer(raw: RawMessage): SendMessageCommand<CustomerMessageType> {
    return SendMessageCommand.create(raw, CUSTOMER_MESSAGE_TYPES);
  }

  static forAgent(raw: RawMessage): SendMessageCommand<AgentMessageType> {
    return SendMessageCommand.create(raw, AGENT_MESSAGE_TYPES);
  }

  private static create<T extends string>(raw: RawMessage, allowed: readonly T[]): SendMessageCommand<T> {
    if (!CONVERSATION_ID.test(raw.conversationId)) throw invalid('conversation.id', 'must be a conversation id (UUID)');
    if (!(allowed as readonly string[]).includes(raw.type)) throw invalid('type.value', `must be one of ${allowed.join(', ')}`);
    const isText = raw.type === 'text/plain' || raw.type === 'text/html';
    if (!isText) return new SendMessageCommand(raw.conversationId.toLowerCase(), raw.type as T, undefined);
    const content = raw.content ?? '';
    if (content.trim().length === 0) throw invalid('content', 'is required for a text message');
    // Characters (code points), as a subject's length is counted: an emoji is one, not two UTF-16
    // units. A character is at most two units, so a longer text is refused without counting.
    if (content.length > MAX_MESSAGE_LENGTH && (content.length > 2 * MAX_MESSAGE_LENGTH || [...content].length > MAX_MESSAGE_LENGTH)) throw invalid('content', `must be at most ${MAX_MESSAGE_LENGTH} characters`);
    // As in a subject: XML (answers, callbacks) cannot carry them, and terminals and log viewers act on them.
    if (CONTROL_EXCEPT_LINE_BREAKS.test(content)) throw invalid('content', 'must not contain control characters other than tab and line breaks');
    // No XML document can carry them, not even as a reference: XML answers and callbacks showed U+FFFD instead.
    if (NOT_XML_CHARACTER.test(content)) throw invalid('content', 'must not contain U+FFFE or U+FFFF');
    return new SendMessageCommand(raw.conversationId.toLowerCase(), raw.type as T, content);
  }
}
