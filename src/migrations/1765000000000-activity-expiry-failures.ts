import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An overdue waiting conversation whose ending failed for a reason of its own (a row a
 * constraint or trigger rejects, a defect): how many endings failed, and when it may be tried
 * again. Until then the sweep's expiry passes it by, so it holds up no other overdue
 * conversation of its queue. Apart from `assignment_failures` and `assignment_retry_at`: a chat
 * left out of assignments for a while is still ended at its deadline. Both stay as they are in
 * the normal case (0 and NULL): nothing on the way of a start, an assignment or an ending writes them.
 */
export class ActivityExpiryFailures1765000000000 implements MigrationInterface {
  name = 'ActivityExpiryFailures1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE activity
         ADD COLUMN expiry_failures INT UNSIGNED NOT NULL DEFAULT 0 AFTER assignment_retry_at,
         ADD COLUMN expiry_retry_at DATETIME(3) NULL AFTER expiry_failures`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE activity DROP COLUMN expiry_retry_at, DROP COLUMN expiry_failures');
  }
}
