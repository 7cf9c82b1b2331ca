import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a client application's callback settings (URL, format, authentication with its secrets)
 * were last set; NULL while they never were. The administration API shows it, and it is part of
 * the application's version: the authentication is not shown there (its secrets are write-only),
 * so without it a change sent with If-Match could not tell that another had replaced a password
 * or a client secret meanwhile.
 */
export class CallbackChangedAt1765800000000 implements MigrationInterface {
  name = 'CallbackChangedAt1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE client_application ADD COLUMN callback_changed_at DATETIME(3) NULL');
    // Changes before this column are not known: the creation is the last one on record.
    await q.query("UPDATE client_application SET callback_changed_at = created_at WHERE callback_url IS NOT NULL OR callback_auth_type <> 'none'");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE client_application DROP COLUMN callback_changed_at');
  }
}
