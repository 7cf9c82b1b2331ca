import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a client application's secret was last set (its creation, then each rotation): the
 * administration API shows it, and it is part of the application's version, so that a rotation
 * sent with If-Match is refused once another rotation has replaced the secret that was read.
 */
export class ClientSecretChangedAt1765600000000 implements MigrationInterface {
  name = 'ClientSecretChangedAt1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE client_application ADD COLUMN secret_changed_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)');
    // Rotations before this column are not known: the creation is the last change on record.
    await q.query('UPDATE client_application SET secret_changed_at = created_at');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE client_application DROP COLUMN secret_changed_at');
  }
}
