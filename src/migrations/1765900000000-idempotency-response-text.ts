import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A remembered answer is replayed as it was first written. As a JSON column it was kept as
 * written by MariaDB (JSON is its LONGTEXT with a validity check) but would be normalised by
 * MySQL, its object keys sorted: a replay would then list its members, and its XML elements, in
 * another order than the first answer. As text it is kept as written everywhere; the store
 * writes it with JSON.stringify and reads it with JSON.parse, as before.
 */
export class IdempotencyResponseText1765900000000 implements MigrationInterface {
  name = 'IdempotencyResponseText1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE idempotency_record MODIFY response LONGTEXT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE idempotency_record MODIFY response JSON NULL');
  }
}
