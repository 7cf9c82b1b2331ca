import type { TranscriptPage } from '../domain/transcript-page';

export type ActivityState = 'waiting' | 'assigned' | 'completed' | 'unassigned';

/** What sending into a conversation needs to know and check. */
export interface ConversationParticipants {
  conversationId: string;
  activityId: string;
  clientApplicationId: string;
  state: ActivityState;
  /** Whether it has ended (`complete` recorded): every completed one, and one left unassigned at the maximum wait. */
  ended: boolean;
  agentId: string | null;
  richText: boolean;
}

export interface TranscriptEntry {
  id: string;
  type: string;
  content: string | null;
  sender: { type: 'customer' } | { type: 'system' } | { type: 'user'; agentId: string };
  createdAt: Date;
}

export interface ConversationDetails extends ConversationParticipants {
  entryPointId: string;
  caseId: string;
  customerId: string | null;
  createdAt: Date;
  assignedAt: Date | null;
  completedAt: Date | null;
}

/** One page of a transcript: its messages in order, and whether more follow them. */
export interface TranscriptSlice {
  messages: TranscriptEntry[];
  more: boolean;
}

/** The conversation after its start: who is in it, its state, its transcript. */
export abstract class MessagingRepository {
  /** Loads and locks the conversation's activity until the caller's transaction ends. */
  abstract lock(conversationId: string): Promise<ConversationParticipants | undefined>;
  /** The same, read without a lock (and outside any transaction): what a check before the transaction needs. */
  abstract participants(conversationId: string): Promise<ConversationParticipants | undefined>;
  abstract markCompleted(activityId: string): Promise<void>;
  /** The conversation, without its transcript. */
  abstract details(conversationId: string): Promise<ConversationDetails | undefined>;
  /** One page of the transcript, typing left out; undefined when `page.after` is no message of it. */
  abstract transcript(conversationId: string, page: TranscriptPage): Promise<TranscriptSlice | undefined>;
}
