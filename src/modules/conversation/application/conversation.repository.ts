import type { ClientInfo } from '../domain/start-conversation.command';
import type { LockedConversation } from './conversation-events';

export interface NewConversation {
  conversationId: string;
  correlationId: string;
  clientApplicationId: string;
  entryPointId: string;
  queueId: string;
  caseId: string;
  customerId: string | null;
  subject: string | null;
  contact: { attribute: string; value: string } | null;
  clientInfo: ClientInfo;
  customAttributes: { name: string; values: string[] }[];
  typingNotifications: boolean;
  /** The conversation's createdDate, as the start answers it and every later reading gives it. */
  createdAt: Date;
}

export interface WaitingActivity {
  activityId: string;
  conversationId: string;
  queueId: string;
  state: 'waiting' | 'assigned' | 'completed' | 'unassigned';
  /** Read with the lock, so that recording an event on it needs no second look. */
  conversation: LockedConversation;
  /** How long it has waited since it was created, by the database's clock, when it was locked. */
  waitedMs: number;
  /**
   * Whether, when it was locked, older chats of its queue waited for an agent (those the first
   * attempt serves first): when false, there is nothing to look for. Undefined when not asked
   * (repositories may answer it for the newest activity of a call only).
   */
  olderWaiting?: boolean;
}

export abstract class ConversationRepository {
  /** Inserts the chat activity (waiting for assignment) and its conversation; returns the activity id. */
  abstract create(conversation: NewConversation): Promise<string>;
  /**
   * Loads and locks activities for assignment, in id order; ids that do not exist are left out.
   * Older chats count as waiting for at most `maxWaitSeconds`, as for `lockOlderWaiting`.
   */
  abstract lockActivities(activityIds: readonly string[], maxWaitSeconds: number): Promise<WaitingActivity[]>;
  abstract markAssigned(activityId: string, agentId: string): Promise<void>;
}
