import { CHAT_LIMIT } from './agent-availability';
import { ChatLimitBelowActiveChats, ChatLimitOutOfRange } from './agent.errors';

/**
 * A new concurrent-chat limit. Lowering it below the chats the agent has open is refused
 * rather than accepted, so that "active chats never exceed the limit" stays true.
 */
export function checkChatLimit(maxChats: number, activeChats: number): void {
  if (!Number.isInteger(maxChats) || maxChats < CHAT_LIMIT.min || maxChats > CHAT_LIMIT.max) throw new ChatLimitOutOfRange(maxChats);
  if (maxChats < activeChats) throw new ChatLimitBelowActiveChats(maxChats, activeChats);
}
