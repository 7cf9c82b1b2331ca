import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppConfig } from '../../../../platform/config/app-config';
import { recordAssignmentLatency } from '../../../../platform/metrics';
import { retryOnConflict } from '../../../../platform/database/transaction-retry';
import { maskedErrorText } from '../../../../platform/errors/masked-error-text';
import { Outbox, type StoredOutboxMessage } from '../../../../platform/outbox/outbox';
import { AgentAssigner } from '../agent-assigner';
import { AssignmentFailures, ChatAssignmentFailed, chargeFailuresTo } from '../assignment-failures';
import { AssignmentRepository, type LockedWaitingChat } from '../assignment.repository';
import { ConversationRepository, type WaitingActivity } from '../conversation.repository';

export type AssignmentOutcome =
  | { outcome: 'assigned'; agentId: string; conversationId: string; waitedMs: number }
  | { outcome: 'waiting'; queueId: string }
  /** Failed for a reason of its own: left out for `retryInMs`, then tried again by a drain (no retry of the job). */
  | { outcome: 'failed'; queueId: string; reason: string; failures?: number; retryInMs?: number }
  | { outcome: 'skipped'; reason: string };

/** An older chat of the queue, waiting for an agent, assigned by this transaction before the chats it was asked for. */
interface OlderAssigned {
  chat: LockedWaitingChat;
  agentId: string;
  correlationId: string;
}

interface RoundResult {
  outcomes: Map<string, AssignmentOutcome>;
  messages: StoredOutboxMessage[];
  older: OlderAssigned[];
  deferred: string[];
}

/**
 * Assigns waiting activities to agents of their queues, all in one transaction: the
 * activities are locked and re-checked, so an activity whose job runs twice (a worker died
 * before acking) is found assigned and skipped; each agent's slot is claimed in the same
 * transaction as its activity. Activities are taken in id order, first come first served,
 * and after the older chats of their queues that wait for an agent: a new chat does not
 * take the slot that one of them is waiting for. Outcomes come back in the order of the
 * ids given.
 *
 * A chat whose assignment fails for a reason of its own rolls the transaction back, and with
 * it the assignments of the others; it is left out for a while (`AssignmentFailures`) and the
 * others go again without it. Otherwise an older chat that failed every time failed every new
 * chat of its queue with it, since the first attempts serve the older chats first.
 */
@Injectable()
export class AssignActivity {
  private readonly logger = new Logger('Assignment');

  constructor(
    private readonly conversations: ConversationRepository,
    private readonly assignments: AssignmentRepository,
    private readonly assigner: AgentAssigner,
    private readonly failures: AssignmentFailures,
    private readonly outbox: Outbox,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly config: AppConfig,
  ) {}

  async execute(activityIds: readonly string[]): Promise<AssignmentOutcome[]> {
    const outcomes = new Map<string, AssignmentOutcome>();
    // A transaction that already took agents does not wait for agents other transactions hold
    // (each holding what the other waits for would deadlock): it commits what it has, and the
    // activities left go on in the next one, which may wait.
    for (let pending = activityIds; pending.length > 0; ) {
      let round: RoundResult;
      try {
        round = await this.assignInOneTransaction(pending);
      } catch (err) {
        if (!(err instanceof ChatAssignmentFailed)) throw err;
        // Left out from now on (an older chat is no longer found by lockOlderWaiting), so each
        // failure takes one chat out and the rounds come to an end.
        const deferred = await this.failures.record(err);
        const { activityId, queueId } = err.chat;
        if (pending.includes(activityId)) {
          // The reason is logged and kept with the job in Redis: the values MySQL quotes in it are masked.
          outcomes.set(activityId, { outcome: 'failed', queueId, reason: maskedErrorText((err.reason as Error)?.message ?? String(err.reason)), ...deferred });
          pending = pending.filter((id) => id !== activityId);
        }
        continue;
      }
      for (const [id, outcome] of round.outcomes) outcomes.set(id, outcome);
      this.outbox.dispatch(round.messages);
      for (const { chat, agentId, correlationId } of round.older) {
        recordAssignmentLatency(chat.waitedMs);
        this.logger.log({ correlationId, activityId: chat.activityId, conversationId: chat.conversationId, queueId: chat.queueId, agentId }, 'waiting activity assigned');
      }
      pending = round.deferred;
    }
    return activityIds.map((id) => outcomes.get(id) ?? { outcome: 'skipped', reason: 'activity does not exist' });
  }

  private assignInOneTransaction(activityIds: readonly string[]): Promise<RoundResult> {
    return retryOnConflict(() =>
      // READ COMMITTED: each claim orders the queue's agents by what is committed when it reads
      // them. Under REPEATABLE READ every claim after the first read the snapshot of the first,
      // blind to the assignments other transactions committed meanwhile, and gave a chat to an
      // agent that was no longer the least loaded (or whose turn had passed).
      this.txHost.withTransaction({ isolationLevel: 'READ COMMITTED' }, async () => {
        const result: RoundResult = { outcomes: new Map(), messages: [], older: [], deferred: [] };
        const waiting: WaitingActivity[] = [];
        for (const activity of await this.conversations.lockActivities(activityIds, this.config.ASSIGNMENT_MAX_WAIT_SECONDS)) {
          if (activity.state === 'waiting') waiting.push(activity);
          else result.outcomes.set(activity.activityId, { outcome: 'skipped', reason: `activity is ${activity.state}` });
        }
        const queue = [...(await this.olderWaiting(waiting)).map((chat) => ({ older: true as const, chat })), ...waiting.map((chat) => ({ older: false as const, chat }))];
        queue.sort((x, y) => (BigInt(x.chat.activityId) < BigInt(y.chat.activityId) ? -1 : 1));
        let holdsAgents = false;
        for (const [i, { older, chat }] of queue.entries()) {
          const assignment = await chargeFailuresTo(chat, () => this.assigner.assign(chat, !holdsAgents));
          if (assignment === 'agents-held') {
            // The rest goes on in the next transaction; an older chat left here is found again by it.
            result.deferred = queue.slice(i).filter((w) => !w.older).map((w) => w.chat.activityId);
            break;
          }
          if (!assignment) {
            if (older) continue;
            await chargeFailuresTo(chat, () => this.assignments.markWaitingForAgent(chat.activityId));
            result.outcomes.set(chat.activityId, { outcome: 'waiting', queueId: chat.queueId });
            continue;
          }
          holdsAgents = true;
          result.messages.push(...assignment.messages);
          if (older) result.older.push({ chat, agentId: assignment.agentId, correlationId: assignment.correlationId });
          else result.outcomes.set(chat.activityId, { outcome: 'assigned', agentId: assignment.agentId, conversationId: chat.conversationId, waitedMs: chat.waitedMs });
        }
        return result;
      }),
    );
  }

  /**
   * The older chats of the batch's queues that wait for an agent, as many per queue as the
   * batch has chats there (more could not get a slot before them). One plain read per queue of
   * the batch, left out when its newest chat was locked with no older chat waiting.
   */
  private async olderWaiting(batch: readonly WaitingActivity[]): Promise<LockedWaitingChat[]> {
    const inBatch = new Set(batch.map((a) => a.activityId));
    const byQueue = new Map<string, WaitingActivity[]>();
    for (const activity of batch) byQueue.set(activity.queueId, [...(byQueue.get(activity.queueId) ?? []), activity]);
    const older: LockedWaitingChat[] = [];
    for (const [queueId, chats] of byQueue) {
      const newest = chats[chats.length - 1].activityId;
      if (chats[chats.length - 1].olderWaiting === false) continue;
      const found = await this.assignments.lockOlderWaiting(queueId, newest, chats.length, this.config.ASSIGNMENT_MAX_WAIT_SECONDS);
      older.push(...found.filter((chat) => !inBatch.has(chat.activityId)));
    }
    return older;
  }
}
