/**
 * Whether the customer of a conversation is typing, for the agent's reading of the chat. Typing
 * is never written to the transcript: its state is kept apart, each start for a bounded time
 * (CUSTOMER_TYPING_TTL_MS), so that a startTyping never followed by endTyping stops showing by
 * itself. The state is a hint and never fails its caller: while it cannot be kept or read, a
 * send goes through as if it had been noted and a reading shows no typing.
 */
export abstract class CustomerTyping {
  /** The customer typed at `at`; a start while already typing keeps the first start's time and extends the bound. */
  abstract started(conversationId: string, at: Date): Promise<void>;
  /** The customer stopped typing: endTyping, a message sent, or the conversation ended. */
  abstract stopped(conversationId: string): Promise<void>;
  /** Since when the customer of each conversation typing now has been typing; the others are absent. */
  abstract typingSince(conversationIds: readonly string[]): Promise<Map<string, Date>>;
}
