import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppConfig } from '../../../platform/config/app-config';
import { isRetryableConflict, retryOnConflict } from '../../../platform/database/transaction-retry';
import { unavailableCause } from '../../../platform/errors/ws-error';
import { recordAssignmentFailure } from '../../../platform/metrics';
import { assignmentRetryDelayMs } from '../domain/assignment-retry';
import { AssignmentRepository, type WaitingChat } from './assignment.repository';

/** The assignment of one chat failed for a reason of its own; thrown out of its transaction, which rolls back. */
export class ChatAssignmentFailed extends Error {
  constructor(readonly chat: WaitingChat, readonly reason: unknown) {
    super(`assignment of activity ${chat.activityId} failed: ${(reason as Error)?.message ?? String(reason)}`);
  }
}

/**
 * Runs the part of an assignment transaction that concerns one chat, and names the chat in
 * a failure that is its own. Failures that would hit any chat alike (the database unreachable
 * or out of room, a lock wait timeout, a deadlock a fresh transaction resolves) pass unchanged
 * and are handled as they were: leaving the chat out would not help the others.
 */
export async function chargeFailuresTo<T>(chat: WaitingChat, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ChatAssignmentFailed || isRetryableConflict(err) || unavailableCause(err) !== undefined) throw err;
    throw new ChatAssignmentFailed(chat, err);
  }
}

/** What became of a chat whose assignment failed. */
export interface DeferredChat {
  failures: number;
  retryInMs: number;
}

/**
 * The bookkeeping of chats whose assignment fails for a reason of their own (a row a
 * constraint or trigger rejects, a defect): tried again at every drain, such a chat would
 * stop its queue, since the oldest waiting chat is always taken first. It is left out for a
 * while instead (`assignmentRetryDelayMs`, growing with each failure), so that the chats after
 * it are assigned as usual, and tried again afterwards by a drain, the sweep or a newer chat's
 * first attempt; the maximum wait still ends it. Each failure is logged at error level under
 * the chat's correlation id and counted in `assignment_failures_total`; the activity row keeps
 * the count and the retry time.
 */
@Injectable()
export class AssignmentFailures {
  private readonly logger = new Logger('Assignment');

  constructor(
    private readonly assignments: AssignmentRepository,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly config: AppConfig,
  ) {}

  /** Records the failure in a transaction of its own (the failed one rolled back); undefined when the chat no longer waits. */
  async record(failure: ChatAssignmentFailed): Promise<DeferredChat | undefined> {
    const { chat, reason } = failure;
    const recorded = await retryOnConflict(() =>
      this.txHost.withTransaction(async () => {
        const found = await this.assignments.lockFailing(chat.activityId);
        if (!found) return undefined;
        const failures = found.failures + 1;
        const retryInMs = assignmentRetryDelayMs(failures, this.config.ASSIGNMENT_RETRY_INTERVAL_MS);
        await this.assignments.deferAfterFailure(chat.activityId, failures, retryInMs);
        return { failures, retryInMs, correlationId: found.correlationId };
      }),
    );
    recordAssignmentFailure();
    const err = reason as { message?: string; code?: string };
    this.logger.error(
      {
        correlationId: recorded?.correlationId,
        activityId: chat.activityId,
        conversationId: chat.conversationId,
        queueId: chat.queueId,
        failures: recorded?.failures,
        retryInMs: recorded?.retryInMs,
        err: err?.message ?? String(reason),
        code: err?.code,
      },
      recorded ? 'assignment of a chat failed; it is tried again later, the other chats of its queue go on' : 'assignment of a chat failed; it no longer waits',
    );
    return recorded && { failures: recorded.failures, retryInMs: recorded.retryInMs };
  }
}
