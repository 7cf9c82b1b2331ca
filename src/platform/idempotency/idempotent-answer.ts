import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsService } from 'nestjs-cls';
import { AppError } from '../errors/app-error';
import { IdempotencyStore } from './idempotency.store';

const SLOT = 'idempotentAnswer';

/**
 * The request's claim was taken over by a retry meanwhile: its work is rolled back rather than
 * done twice, and the key, no longer this request's, is left as it is.
 */
export class IdempotencyClaimLost extends AppError {
  constructor() {
    super('IdempotencyRequestInProgress', 'a retry with this Idempotency-Key took the request over', 'Idempotency-Key', {}, { 'Retry-After': '1' });
  }
}

/** The claim a request holds, and whether its answer has been recorded in the work's transaction. */
interface PendingAnswer {
  scope: string;
  key: string;
  owner: Buffer;
  statusCode: number;
  recorded: boolean;
}

/**
 * Lets the work of a request that holds an `Idempotency-Key` record its answer in its own
 * transaction. Recorded after the COMMIT, an answer was lost when the process died in between,
 * and a retry after the claim went stale did the work a second time; recorded before it, the
 * work and its answer commit together or not at all.
 */
@Injectable()
export class IdempotentAnswer {
  constructor(
    private readonly cls: ClsService,
    private readonly store: IdempotencyStore,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  /** The request has claimed `key` (the claim `owner`): its work may now record the answer. */
  expect(scope: string, key: string, owner: Buffer, statusCode: number): void {
    // An object, changed in place: a transaction runs in a copy of the request's context.
    this.cls.set<PendingAnswer>(SLOT, { scope, key, owner, statusCode, recorded: false });
  }

  /**
   * Records `answer` in the caller's transaction, as its last statement (a deadlock after it
   * rolls it back with the rest, and the attempt that commits records it again). A request
   * without `Idempotency-Key` runs no statement. Throws IdempotencyClaimLost, so that the
   * transaction rolls back, when a retry has taken the claim over meanwhile.
   */
  async record(answer: unknown): Promise<void> {
    const pending = this.pending();
    if (!pending) return;
    const { scope, key, owner, statusCode } = pending;
    if (!(await this.store.completeWithin(this.txHost.tx, scope, key, owner, statusCode, answer))) throw new IdempotencyClaimLost();
    pending.recorded = true;
  }

  /** Whether the request's work recorded its answer itself, committed with it. */
  recorded(): boolean {
    return this.pending()?.recorded === true;
  }

  private pending(): PendingAnswer | undefined {
    return this.cls.isActive() ? this.cls.get<PendingAnswer | undefined>(SLOT) : undefined;
  }
}
