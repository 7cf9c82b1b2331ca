import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The owner of an Idempotency-Key claim: a random token drawn when the claim is taken, so that a
 * request refreshes, frees and completes only its own claim, never the one a retry took over
 * once its own went stale. NULL on records from before: completed ones need none, and a claim
 * still running then is freed when it goes stale, as a dead request's is.
 */
export class IdempotencyClaimOwner1765100000000 implements MigrationInterface {
  name = 'IdempotencyClaimOwner1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE idempotency_record ADD COLUMN owner BINARY(16) NULL AFTER request_hash');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE idempotency_record DROP COLUMN owner');
  }
}
