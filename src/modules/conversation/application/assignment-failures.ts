import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppConfig } from '../../../platform/config/app-config';
import { isRetryableConflict, retryOnConflict } from '../../../platform/database/transaction-retry';
import { unavailableCause } from '../../../platform/errors/ws-error';
import { recordAssignmentFailure, recordExpiryFailure } from '../../../platform/metrics';
import { assignmentRetryDelayMs, type RetriedWork } from '../domain/assignment-retry';
import { AssignmentRepository, type WaitingChat } from './assignment.repository';

/** The assignment of one chat failed for a reason of its own; thrown out of its transaction, which rolls back. */
export class ChatAssignmentFailed extends Error {
  constructor(readonly chat: WaitingChat, readonly reason: unknown) {
    super(`assignment of activity ${chat.activityId} failed: ${(reason as Error)?.message ?? String(reason)}`);
  }
}

/**
 * Whether a failure of the work on one chat (its assignment, its ending) is the chat's own: a
 * row a constraint or trigger rejects, a defect. Failures that would hit any chat alike (the
 * database unreachable or out of room, a lock wait timeout, a deadlock a fresh transaction
 * resolves) are not: leaving the chat out would not help the others, and they are handled as
 * they were.
 */
export function isChatsOwnFailure(err: unknown): boolean {
  return !(isRetryableConflict(err) || unavailableCause(err) !== undefined);
}

/**
 * Runs the part of an assignment transaction that concerns one chat, and names the chat in
 * a failure that is its own (`isChatsOwnFailure`); other failures pass unchanged.
 */
export async function chargeFailuresTo<T>(chat: WaitingChat, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ChatAssignmentFailed || !isChatsOwnFailure(err)) throw err;
    throw new ChatAssignmentFailed(chat, err);
  }
}

/** What became of a chat whose assignment failed. */
export interface DeferredChat {
  failures: number;
  retryInMs: number;
}

/** How each kind of failure is counted and told in the log. */
const REPORTED: Record<RetriedWork, { count: () => void; deferred: string; gone: string }> = {
  assignment: {
    count: recordAssignmentFailure,
    deferred: 'assignment of a chat failed; it is tried again later, the other chats of its queue go on',
    gone: 'assignment of a chat failed; it no longer waits',
  },
  expiry: {
    count: recordExpiryFailure,
    deferred: 'ending of an overdue conversation failed; it is tried again later, the other overdue conversations of its queue are ended',
    gone: 'ending of an overdue conversation failed; it no longer waits',
  },
};

/**
 * The bookkeeping of chats whose assignment fails for a reason of their own (a row a
 * constraint or trigger rejects, a defect): tried again at every drain, such a chat would
 * stop its queue, since the oldest waiting chat is always taken first. It is left out for a
 * while instead (`assignmentRetryDelayMs`, growing with each failure), so that the chats after
 * it are assigned as usual, and tried again afterwards by a drain, the sweep or a newer chat's
 * first attempt; the maximum wait still ends it. Each failure is logged at error level under
 * the chat's correlation id and counted in `assignment_failures_total`; the activity row keeps
 * the count and the retry time.
 *
 * The ending of an overdue conversation by the sweep is kept the same way, with a count and a
 * retry time of its own and `expiry_failures_total`: the expiry ends the oldest first too, so
 * one conversation it cannot end kept every other overdue one of its queue from being ended.
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
  record(failure: ChatAssignmentFailed): Promise<DeferredChat | undefined> {
    return this.defer('assignment', failure.chat, failure.reason);
  }

  /** Records that ending the overdue `chat` failed (`reason`), as `record` does a failed assignment. */
  recordExpiry(chat: WaitingChat, reason: unknown): Promise<DeferredChat | undefined> {
    return this.defer('expiry', chat, reason);
  }

  private async defer(work: RetriedWork, chat: WaitingChat, reason: unknown): Promise<DeferredChat | undefined> {
    const recorded = await retryOnConflict(() =>
      this.txHost.withTransaction(async () => {
        const found = await this.assignments.lockFailing(chat.activityId, work);
        if (!found) return undefined;
        const failures = found.failures + 1;
        const retryInMs = assignmentRetryDelayMs(failures, this.config.ASSIGNMENT_RETRY_INTERVAL_MS);
        await this.assignments.deferAfterFailure(chat.activityId, work, failures, retryInMs);
        return { failures, retryInMs, correlationId: found.correlationId };
      }),
    );
    const reported = REPORTED[work];
    reported.count();
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
      recorded ? reported.deferred : reported.gone,
    );
    return recorded && { failures: recorded.failures, retryInMs: recorded.retryInMs };
  }
}
