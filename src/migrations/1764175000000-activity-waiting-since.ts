import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When an activity (re-)entered its queue: a transfer to a queue puts a chat back in
 * waiting, and the maximum wait counts from then. NULL means "since created_at", so the
 * start transaction does not have to write it.
 */
export class ActivityWaitingSince1764175000000 implements MigrationInterface {
  name = 'ActivityWaitingSince1764175000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE activity ADD COLUMN waiting_since DATETIME(3) NULL AFTER created_at');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE activity DROP COLUMN waiting_since');
  }
}
