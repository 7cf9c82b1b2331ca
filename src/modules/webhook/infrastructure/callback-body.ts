import { toXml } from '../../../platform/http/xml-codec';
import { MAX_MESSAGES_PER_CALLBACK, type CallbackMessage } from '../domain/callback-message';
import type { CallbackFormat } from '../domain/callback-settings';

export const CALLBACK_XML_ROOT = 'messages';

/** `{"message":[...]}`, or in XML the same under `<messages>` with `<message>` repeated. */
export function renderCallbackBody(messages: CallbackMessage[], format: CallbackFormat): { body: string; contentType: string } {
  if (messages.length > MAX_MESSAGES_PER_CALLBACK) throw new Error(`a callback carries at most ${MAX_MESSAGES_PER_CALLBACK} messages`);
  if (format === 'xml') return { body: toXml(CALLBACK_XML_ROOT, { message: messages }), contentType: 'application/xml; charset=utf-8' };
  return { body: JSON.stringify({ message: messages }), contentType: 'application/json; charset=utf-8' };
}
