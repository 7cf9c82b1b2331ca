import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppConfig } from '../../../../platform/config/app-config';
import { retryOnConflict } from '../../../../platform/database/transaction-retry';
import { Outbox, type StoredOutboxMessage } from '../../../../platform/outbox/outbox';
import { AssignmentFailures, isChatsOwnFailure } from '../assignment-failures';
import { AssignmentRepository, type WaitingChat } from '../assignment.repository';
import { ConversationEvents } from '../conversation-events';

const BATCH = 100;

/**
 * Ends the conversations of a queue that waited ASSIGNMENT_MAX_WAIT_SECONDS without an
 * agent: the activity becomes 'unassigned' (why it ended) and is completed, and the client
 * application hears 'noAgentAvailable' then 'complete', so that every conversation gets its
 * one `complete`, last, even one its client application never ends. Rows another
 * transaction holds (being assigned right now) are left alone.
 *
 * Overdue conversations are ended a batch per transaction, oldest first. A batch that fails for
 * a reason of one conversation's own (a row a trigger or constraint rejects, a defect in
 * building its events) is ended again one conversation per transaction, and the one that fails
 * is left out for a while (`AssignmentFailures`): otherwise the oldest, failing every time,
 * kept every other overdue conversation of its queue from being ended, round after round.
 * Failures that would hit any conversation alike (the database unreachable or out of room, a
 * lock wait timeout, a deadlock retries did not resolve) fail the expiry, as before.
 */
@Injectable()
export class ExpireWaiting {
  private readonly logger = new Logger('Assignment');

  constructor(
    private readonly assignments: AssignmentRepository,
    private readonly events: ConversationEvents,
    private readonly failures: AssignmentFailures,
    private readonly outbox: Outbox,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly config: AppConfig,
  ) {}

  /** How many conversations of the queue it ended. */
  async execute(queueId: string): Promise<number> {
    let expired = 0;
    for (;;) {
      const overdue = await this.assignments.findOverdue(queueId, this.config.ASSIGNMENT_MAX_WAIT_SECONDS, BATCH);
      if (overdue.length === 0) return expired;
      let done: { ended: number; failed: number };
      try {
        done = { ended: await this.end(overdue), failed: 0 };
      } catch (err) {
        if (!isChatsOwnFailure(err)) throw err;
        done = await this.endOneByOne(overdue);
      }
      expired += done.ended;
      // A batch that changed nothing (its rows held by other transactions) is left to the next round.
      if (overdue.length < BATCH || done.ended + done.failed === 0) return expired;
    }
  }

  private async endOneByOne(overdue: readonly WaitingChat[]): Promise<{ ended: number; failed: number }> {
    let ended = 0;
    let failed = 0;
    for (const chat of overdue) {
      try {
        ended += await this.end([chat]);
      } catch (err) {
        if (!isChatsOwnFailure(err)) throw err;
        await this.failures.recordExpiry(chat, err);
        failed++;
      }
    }
    return { ended, failed };
  }

  /** Ends those of `overdue` still overdue, in one transaction; how many it ended. */
  private async end(overdue: readonly WaitingChat[]): Promise<number> {
    const queueId = overdue[0].queueId;
    const { messages, ended } = await retryOnConflict(() =>
      this.txHost.withTransaction(async () => {
        const locked = await this.assignments.lockOverdue(
          overdue.map((a) => a.activityId),
          this.config.ASSIGNMENT_MAX_WAIT_SECONDS,
        );
        await this.assignments.endUnassigned(locked.map((a) => a.activityId));
        const out: StoredOutboxMessage[] = [];
        const correlationIds: string[] = [];
        for (const activity of locked) {
          const noAgent = await this.events.record({ conversationId: activity.conversationId, type: 'noAgentAvailable', sender: { type: 'system' } });
          const complete = await this.events.record({ conversationId: activity.conversationId, type: 'complete', sender: { type: 'system' } });
          for (const recorded of [noAgent, complete]) if (recorded.outboxMessage) out.push(recorded.outboxMessage);
          correlationIds.push(noAgent.correlationId);
        }
        return { messages: out, ended: locked.map((a, i) => ({ ...a, correlationId: correlationIds[i] })) };
      }),
    );
    this.outbox.dispatch(messages);
    // Each under the correlation id its conversation was started under, as its other lines.
    for (const a of ended) {
      this.logger.log({ correlationId: a.correlationId, activityId: a.activityId, conversationId: a.conversationId, queueId }, 'waiting activity unassigned: maximum wait reached');
    }
    return ended.length;
  }
}
