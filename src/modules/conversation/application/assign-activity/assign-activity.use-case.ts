import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { retryOnConflict } from '../../../../platform/database/transaction-retry';
import { Outbox, type StoredOutboxMessage } from '../../../../platform/outbox/outbox';
import { AgentAssigner } from '../agent-assigner';
import { ConversationRepository } from '../conversation.repository';

export type AssignmentOutcome =
  | { outcome: 'assigned'; agentId: string; conversationId: string; waitedMs: number }
  | { outcome: 'waiting'; queueId: string }
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
    private readonly assigner: AgentAssigner,
    private readonly outbox: Outbox,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  async execute(activityId: string): Promise<AssignmentOutcome> {
    const { outcome, messages } = await retryOnConflict(() =>
      this.txHost.withTransaction(async (): Promise<{ outcome: AssignmentOutcome; messages: StoredOutboxMessage[] }> => {
        const activity = await this.conversations.lockActivity(activityId);
        if (!activity) return { outcome: { outcome: 'skipped', reason: 'activity does not exist' }, messages: [] };
        if (activity.state !== 'waiting') return { outcome: { outcome: 'skipped', reason: `activity is ${activity.state}` }, messages: [] };
        const assignment = await this.assigner.assign(activity);
        if (!assignment) return { outcome: { outcome: 'waiting', queueId: activity.queueId }, messages: [] };
        return { outcome: { outcome: 'assigned', agentId: assignment.agentId, conversationId: activity.conversationId, waitedMs: activity.waitedMs }, messages: assignment.messages };
      }),
    );
    this.outbox.dispatch(messages);
    return outcome;
  }
}
