/** When the conversation `c` had its last event of a type, by the clock that recorded it (one probe of ix_message_event). */
export const LAST_EVENT = (type: 'assigned' | 'complete') =>
  `(SELECT m.created_at FROM message m WHERE m.conversation_id = c.id AND m.type = '${type}' ORDER BY m.seq DESC LIMIT 1)`;
