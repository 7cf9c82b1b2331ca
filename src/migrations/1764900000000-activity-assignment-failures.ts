import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A waiting chat whose assignment failed for a reason of its own (a row a constraint or
 * trigger rejects, a defect), rather than for want of an agent: how many attempts failed,
 * and when it may be tried again. Until then drains and newer chats' first attempts pass it
 * by, so it holds up no other chat of its queue. Both stay as they are in the normal case
 * (0 and NULL): nothing on the way of a start or an assignment writes them.
 */
export class ActivityAssignmentFailures1764900000000 implements MigrationInterface {
  name = 'ActivityAssignmentFailures1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE activity
         ADD COLUMN assignment_failures INT UNSIGNED NOT NULL DEFAULT 0 AFTER waiting_since,
         ADD COLUMN assignment_retry_at DATETIME(3) NULL AFTER assignment_failures`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE activity DROP COLUMN assignment_retry_at, DROP COLUMN assignment_failures');
  }
}
