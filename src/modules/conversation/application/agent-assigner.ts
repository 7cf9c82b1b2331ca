import { Injectable } from '@nestjs/common';
import { ClaimAgent } from '../../agent';
import type { StoredOutboxMessage } from '../../../platform/outbox/outbox';
import { ConversationEvents, type LockedConversation } from './conversation-events';
import { ConversationRepository } from './conversation.repository';

export interface Assignment {
  agentId: string;
  /** Outbox messages to dispatch after commit (the 'assigned' webhook). */
  messages: StoredOutboxMessage[];
  /** The correlation id the conversation was started under. */
  correlationId: string;
}

type AssignableActivity = { activityId: string; conversationId: string; queueId: string; conversation?: LockedConversation };

/**
 * The one way an activity gets its agent, shared by the first attempt and the drains:
 * in the caller's transaction, with the activity locked and known to be waiting, claim a
 * slot of an agent of its queue, mark the activity assigned and record 'assigned'.
 * Claim and mark commit together, so a slot is never taken without its chat or twice.
 */
@Injectable()
export class AgentAssigner {
  constructor(private readonly claimAgent: ClaimAgent, private readonly conversations: ConversationRepository, private readonly events: ConversationEvents) {}

  /**
   * Undefined when no agent of the queue has room; 'agents-held' when the caller holds agent
   * rows already (`mayWait` false) and the agents to take are held by other transactions.
   */
  assign(activity: AssignableActivity): Promise<Assignment | undefined>;
  assign(activity: AssignableActivity, mayWait: boolean): Promise<Assignment | 'agents-held' | undefined>;
  async assign(activity: AssignableActivity, mayWait = true): Promise<Assignment | 'agents-held' | undefined> {
    const claim = await this.claimAgent.execute(activity.queueId, mayWait);
    if (claim.outcome === 'no-agent') return undefined;
    if (claim.outcome === 'agents-held') return claim.outcome;
    const { agentId } = claim;
    await this.conversations.markAssigned(activity.activityId, agentId);
    const recorded = await this.events.record({ conversationId: activity.conversationId, type: 'assigned', sender: { type: 'user', agentId } }, activity.conversation);
    return { agentId, messages: recorded.outboxMessage ? [recorded.outboxMessage] : [], correlationId: recorded.correlationId };
  }
}
