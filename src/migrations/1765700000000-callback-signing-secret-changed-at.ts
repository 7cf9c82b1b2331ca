import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a client application's callback signing secret was last set (the first callback URL,
 * then each rotation; NULL while it has none): the administration API shows it, and it is part of
 * the application's version, so that a rotation sent with If-Match is refused once another
 * rotation has replaced the secret that was read.
 */
export class CallbackSigningSecretChangedAt1765700000000 implements MigrationInterface {
  name = 'CallbackSigningSecretChangedAt1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE client_application ADD COLUMN callback_signing_secret_changed_at DATETIME(3) NULL');
    // Rotations before this column are not known: the creation is the last change on record.
    await q.query('UPDATE client_application SET callback_signing_secret_changed_at = created_at WHERE callback_signing_secret IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE client_application DROP COLUMN callback_signing_secret_changed_at');
  }
}
