import type { LockedConversation } from '../application/conversation-events';

/** The columns a LockedConversation is read from, by whichever query locks the activity. */
export interface LockedConversationRow {
  activity_id: string | number;
  client_application_id: string | number;
  correlation_id: string;
  typing_notifications: number | string;
}

export function toLockedConversation(row: LockedConversationRow): LockedConversation {
  return {
    activityId: String(row.activity_id),
    clientApplicationId: String(row.client_application_id),
    correlationId: row.correlation_id,
    typingNotifications: Number(row.typing_notifications) === 1,
  };
}
