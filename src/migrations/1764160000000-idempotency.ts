import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Responses remembered per (client application, Idempotency-Key) so a retried request is answered, not re-executed. */
export class Idempotency1764160000000 implements MigrationInterface {
  name = 'Idempotency1764160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE idempotency_record (
      scope VARCHAR(64) NOT NULL,
      idempotency_key VARCHAR(255) NOT NULL,
      request_hash BINARY(32) NOT NULL,
      state ENUM('in_progress','completed') NOT NULL,
      status_code SMALLINT UNSIGNED NULL,
      response JSON NULL,
      created_at DATETIME(3) NOT NULL,
      PRIMARY KEY (scope, idempotency_key),
      KEY ix_idempotency_created (created_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_record');
  }
}
