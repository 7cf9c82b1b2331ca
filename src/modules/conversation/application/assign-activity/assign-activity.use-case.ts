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
 * Assigns waiting activities to agents of their queues, all in one transaction: the
 * activities are locked and re-checked, so an activity whose job runs twice (a worker died
 * before acking) is found assigned and skipped; each agent's slot is claimed in the same
 * transaction as its activity. Activities are taken in id order, first come first served.
 * Outcomes come back in the order of the ids given.
 */
@Injectable()
export class AssignActivity {
  constructor(
    private readonly conversations: ConversationRepository,
    private readonly assigner: AgentAssigner,
    private readonly outbox: Outbox,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  async execute(activityIds: readonly string[]): Promise<AssignmentOutcome[]> {
    const outcomes = new Map<string, AssignmentOutcome>();
    // A transaction that already took agents does not wait for agents other transactions hold
    // (each holding what the other waits for would deadlock): it commits what it has, and the
    // activities left go on in the next one, which may wait.
    for (let pending = activityIds; pending.length > 0; ) {
      const round = await this.assignInOneTransaction(pending);
      for (const [id, outcome] of round.outcomes) outcomes.set(id, outcome);
      this.outbox.dispatch(round.messages);
      pending = round.deferred;
    }
    return activityIds.map((id) => outcomes.get(id) ?? { outcome: 'skipped', reason: 'activity does not exist' });
  }

  private assignInOneTransaction(activityIds: readonly string[]): Promise<{ outcomes: Map<string, AssignmentOutcome>; messages: StoredOutboxMessage[]; deferred: string[] }> {
    return retryOnConflict(() =>
      // READ COMMITTED: each claim orders the queue's agents by what is committed when it reads
      // them. Under REPEATABLE READ every claim after the first read the snapshot of the first,
      // blind to the assignments other transactions committed meanwhile, and gave a chat to an
      // agent that was no longer the least loaded (or whose turn had passed).
      this.txHost.withTransaction({ isolationLevel: 'READ COMMITTED' }, async () => {
        const locked = await this.conversations.lockActivities(activityIds);
        const outcomes = new Map<string, AssignmentOutcome>();
        const messages: StoredOutboxMessage[] = [];
        const deferred: string[] = [];
        let holdsAgents = false;
        for (const activity of locked) {
          if (deferred.length > 0) {
            deferred.push(activity.activityId);
            continue;
          }
          if (activity.state !== 'waiting') {
            outcomes.set(activity.activityId, { outcome: 'skipped', reason: `activity is ${activity.state}` });
            continue;
          }
          const assignment = await this.assigner.assign(activity, !holdsAgents);
          if (assignment === 'agents-held') {
            deferred.push(activity.activityId);
            continue;
          }
          if (!assignment) {
            outcomes.set(activity.activityId, { outcome: 'waiting', queueId: activity.queueId });
            continue;
          }
          holdsAgents = true;
          messages.push(...assignment.messages);
          outcomes.set(activity.activityId, { outcome: 'assigned', agentId: assignment.agentId, conversationId: activity.conversationId, waitedMs: activity.waitedMs });
        }
        return { outcomes, messages, deferred };
      }),
    );
  }
}
