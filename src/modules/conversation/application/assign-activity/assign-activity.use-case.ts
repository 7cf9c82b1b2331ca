import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClaimAgent } from '../../../agent';
import { retryOnConflict } from '../../../../platform/database/transaction-retry';
import { Outbox, type StoredOutboxMessage } from '../../../../platform/outbox/outbox';
import { ConversationEvents } from '../conversation-events';
import { ConversationRepository } from '../conversation.repository';

export type AssignmentOutcome =
  | { outcome: 'assigned'; agentId: string; conversationId: string }
  | { outcome: 'waiting' }
  | { outcome: 'skipped'; reason: string };

/**
 * Assigns a waiting activity to an agent of its queue. Idempotent: the activity row is
 * locked and re-checked, so a job that runs twice (a worker died before acking) finds
 * the activity assigned and skips; the agent's slot is claimed in the same transaction.
 */
@Injectable()
export class AssignActivity {
  constructor(
    private readonly conversations: ConversationRepository,
    private readonly claimAgent: ClaimAgent,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly events: ConversationEvents,
    private readonly outbox: Outbox,
  ) {}

  async execute(activityId: string): Promise<AssignmentOutcome> {
    const { result, announce } = await retryOnConflict(() =>
      this.txHost.withTransaction(async (): Promise<{ result: AssignmentOutcome; announce?: StoredOutboxMessage }> => {
        const activity = await this.conversations.lockActivity(activityId);
        if (!activity) return { result: { outcome: 'skipped', reason: 'activity does not exist' } };
        if (activity.state !== 'waiting') return { result: { outcome: 'skipped', reason: `activity is ${activity.state}` } };
        const agentId = await this.claimAgent.execute(activity.queueId);
        if (agentId === undefined) return { result: { outcome: 'waiting' } };
        await this.conversations.markAssigned(activityId, agentId);
        const recorded = await this.events.record({ conversationId: activity.conversationId, type: 'assigned', sender: { type: 'user', agentId } });
        return { result: { outcome: 'assigned', agentId, conversationId: activity.conversationId }, announce: recorded.outboxMessage };
      }),
    );
    if (announce) this.outbox.dispatch([announce]);
    return result;
  }
}
