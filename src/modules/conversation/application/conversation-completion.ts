import { Injectable } from '@nestjs/common';
import { ReleaseAgentCapacity } from '../../agent';
import type { StoredOutboxMessage } from '../../../platform/outbox/outbox';
import type { EventSender } from '../domain/conversation-event';
import { ConversationEvents, type RecordedEvent } from './conversation-events';
import { MessagingRepository } from './messaging.repository';

/** A conversation whose activity the caller holds locked and has checked may be ended. */
export interface CompletableConversation {
  activityId: string;
  conversationId: string;
  /** The agent holding a slot for it (an assigned chat), whose slot is given back. */
  assignedAgentId: string | null;
}

/**
 * What ending a conversation does, whoever ends it (the customer side through its `complete`
 * message, or the agent through the agent API), once the caller holds the activity locked and has checked who
 * may: the state becomes completed, the agent's slot is given back (its drain jobs hand it
 * to the oldest waiting chat), and `complete` is recorded last. The outbox messages are the
 * caller's to dispatch after commit.
 */
@Injectable()
export class ConversationCompletion {
  constructor(
    private readonly conversations: MessagingRepository,
    private readonly releaseAgent: ReleaseAgentCapacity,
    private readonly events: ConversationEvents,
  ) {}

  async complete(c: CompletableConversation, sender: Exclude<EventSender, { type: 'customer' }>): Promise<{ recorded: RecordedEvent; messages: StoredOutboxMessage[] }> {
    await this.conversations.markCompleted(c.activityId);
    const messages: StoredOutboxMessage[] = c.assignedAgentId !== null ? await this.releaseAgent.execute(c.assignedAgentId) : [];
    const recorded = await this.events.record({ conversationId: c.conversationId, type: 'complete', sender });
    if (recorded.outboxMessage) messages.push(recorded.outboxMessage);
    return { recorded, messages };
  }
}
