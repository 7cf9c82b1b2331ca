import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AssignmentAvailability } from '../../../agent';
import { AppConfig } from '../../../../platform/config/app-config';
import { recordAssignmentLatency } from '../../../../platform/metrics';
import { retryOnConflict } from '../../../../platform/database/transaction-retry';
import { Outbox } from '../../../../platform/outbox/outbox';
import { AgentAssigner } from '../agent-assigner';
import { AssignmentFailures, ChatAssignmentFailed, chargeFailuresTo } from '../assignment-failures';
import { AssignmentRepository } from '../assignment.repository';

/** Enough for any burst; a queue with more waiting than this is continued by the next drain or sweep. */
const MAX_ATTEMPTS_PER_RUN = 1000;
/** Rounds in which nothing could be taken although work seemed to remain (rows held by other transactions). */
const MAX_IDLE_ROUNDS = 4;
const IDLE_BACKOFF_MS = 15;

/**
 * Assigns the oldest waiting activities of a queue while agents have capacity, one
 * transaction per activity (idempotent: each one is locked and re-checked).
 *
 * Rows another transaction holds are skipped, not waited for. That leaves one race: a
 * slot freed while its waiting activity was locked by an attempt that found no agent.
 * So when a round takes nothing, the latest committed state is read again: a waiting
 * activity and a free agent both present means a hand-over was missed, and the drain
 * tries again a few times before leaving the rest to the next event or the sweep.
 *
 * A chat whose assignment fails for a reason of its own is left out for a while
 * (`AssignmentFailures`) and the drain goes on with the next: the oldest chat is always
 * taken first, so one that failed every time stopped its queue's drains and sweeps for good.
 */
@Injectable()
export class DrainQueue {
  private readonly logger = new Logger('Assignment');

  constructor(
    private readonly assignments: AssignmentRepository,
    private readonly assigner: AgentAssigner,
    private readonly failures: AssignmentFailures,
    private readonly availability: AssignmentAvailability,
    private readonly outbox: Outbox,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly config: AppConfig,
  ) {}

  /** Drains running in this process, by queue; `again` = a request came in while it ran. */
  private readonly inProgress = new Map<string, { again: boolean; done: Promise<number> }>();

  /**
   * Requests for a queue already being drained in this process do not start a second,
   * competing drain (they would mostly skip each other's rows): they make the running one
   * go round once more, and wait for it. The check and the hand-back happen in the same
   * tick, so no request can slip in after the last round has decided to stop.
   */
  async execute(queueId: string): Promise<{ assigned: number }> {
    const running = this.inProgress.get(queueId);
    if (running) {
      running.again = true;
      await running.done;
      return { assigned: 0 };
    }
    const entry = { again: false, done: Promise.resolve(0) };
    entry.done = (async () => {
      let total = 0;
      try {
        for (;;) {
          entry.again = false;
          total += await this.drainOnce(queueId);
          if (!entry.again) return total;
        }
      } finally {
        this.inProgress.delete(queueId);
      }
    })();
    this.inProgress.set(queueId, entry);
    return { assigned: await entry.done };
  }

  private async drainOnce(queueId: string): Promise<number> {
    let assigned = 0;
    let idle = 0;
    for (let attempts = 0; attempts < MAX_ATTEMPTS_PER_RUN; attempts++) {
      const outcome = await this.assignOldest(queueId);
      if (outcome !== 'none') {
        if (outcome === 'assigned') assigned++;
        idle = 0;
        continue;
      }
      if (idle >= MAX_IDLE_ROUNDS || !(await this.workRemains(queueId))) break;
      idle++;
      await new Promise((resolve) => setTimeout(resolve, IDLE_BACKOFF_MS * idle));
    }
    return assigned;
  }

  /** 'failed': the oldest chat failed for a reason of its own and is left out for a while; the next one is up. */
  private async assignOldest(queueId: string): Promise<'assigned' | 'failed' | 'none'> {
    try {
      return (await this.assignOldestInOneTransaction(queueId)) ? 'assigned' : 'none';
    } catch (err) {
      if (!(err instanceof ChatAssignmentFailed)) throw err;
      await this.failures.record(err);
      return 'failed';
    }
  }

  private async assignOldestInOneTransaction(queueId: string): Promise<boolean> {
    const taken = await retryOnConflict(() =>
      // READ COMMITTED: the locking range read of waiting activities takes no gap locks, so a
      // drain never holds up the inserts of new starts into the same queue (it did under
      // REPEATABLE READ while an assignment waited on a lock).
      this.txHost.withTransaction({ isolationLevel: 'READ COMMITTED' }, async () => {
        const activity = await this.assignments.lockOldestWaiting(queueId, this.config.ASSIGNMENT_MAX_WAIT_SECONDS);
        if (!activity) return undefined;
        return chargeFailuresTo(activity, async () => {
          const assignment = await this.assigner.assign(activity);
          // A chat whose first attempt never ran (its job lost with a Redis that restarted empty)
          // waits from here on: newer chats' first attempts serve it before themselves.
          if (!assignment) await this.assignments.markWaitingForAgent(activity.activityId);
          return assignment ? { activity, assignment } : undefined;
        });
      }),
    );
    if (!taken) return false;
    const { activity, assignment } = taken;
    this.outbox.dispatch(assignment.messages);
    recordAssignmentLatency(activity.waitedMs);
    // Under the conversation's own correlation id (not the drain job's: the request that freed
    // the slot), so that grepping the id of its start follows it past a wait.
    this.logger.log(
      { correlationId: assignment.correlationId, activityId: activity.activityId, conversationId: activity.conversationId, queueId, agentId: assignment.agentId },
      'waiting activity assigned',
    );
    return true;
  }

  private async workRemains(queueId: string): Promise<boolean> {
    return (await this.assignments.hasWaiting(queueId, this.config.ASSIGNMENT_MAX_WAIT_SECONDS)) && (await this.availability.hasFreeAgent(queueId));
  }
}
