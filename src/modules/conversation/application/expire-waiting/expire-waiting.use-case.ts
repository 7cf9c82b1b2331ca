import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppConfig } from '../../../../platform/config/app-config';
import { retryOnConflict } from '../../../../platform/database/transaction-retry';
import { Outbox, type StoredOutboxMessage } from '../../../../platform/outbox/outbox';
import { AssignmentRepository } from '../assignment.repository';
import { ConversationEvents } from '../conversation-events';

const BATCH = 100;

/**
 * Ends the conversations of a queue that waited ASSIGNMENT_MAX_WAIT_SECONDS without an
 * agent: the activity becomes 'unassigned' (why it ended) and is completed, and the client
 * application hears 'noAgentAvailable' then 'complete', so that every conversation gets its
 * one `complete`, last, even one its client application never ends. Rows another
 * transaction holds (being assigned right now) are left alone.
 */
@Injectable()
export class ExpireWaiting {
  private readonly logger = new Logger('Assignment');

  constructor(
    private readonly assignments: AssignmentRepository,
    private readonly events: ConversationEvents,
    private readonly outbox: Outbox,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly config: AppConfig,
  ) {}

  async execute(queueId: string): Promise<number> {
    let expired = 0;
    for (;;) {
      const { count, messages, ended } = await retryOnConflict(() =>
        this.txHost.withTransaction(async () => {
          const overdue = await this.assignments.lockOverdue(queueId, this.config.ASSIGNMENT_MAX_WAIT_SECONDS, BATCH);
          await this.assignments.endUnassigned(overdue.map((a) => a.activityId));
          const out: StoredOutboxMessage[] = [];
          const correlationIds: string[] = [];
          for (const activity of overdue) {
            const noAgent = await this.events.record({ conversationId: activity.conversationId, type: 'noAgentAvailable', sender: { type: 'system' } });
            const complete = await this.events.record({ conversationId: activity.conversationId, type: 'complete', sender: { type: 'system' } });
            for (const recorded of [noAgent, complete]) if (recorded.outboxMessage) out.push(recorded.outboxMessage);
            correlationIds.push(noAgent.correlationId);
          }
          return { count: overdue.length, messages: out, ended: overdue.map((a, i) => ({ ...a, correlationId: correlationIds[i] })) };
        }),
      );
      this.outbox.dispatch(messages);
      // Each under the correlation id its conversation was started under, as its other lines.
      for (const a of ended) {
        this.logger.log({ correlationId: a.correlationId, activityId: a.activityId, conversationId: a.conversationId, queueId }, 'waiting activity unassigned: maximum wait reached');
      }
      expired += count;
      if (count < BATCH) return expired;
    }
  }
}
