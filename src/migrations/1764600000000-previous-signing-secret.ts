import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * After a rotation the previous signing secret signs callbacks beside the new one until
 * `callback_previous_secret_until`, so that a receiver can switch secrets without
 * refusing requests in between.
 */
export class PreviousSigningSecret1764600000000 implements MigrationInterface {
  name = 'PreviousSigningSecret1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE client_application
         ADD COLUMN callback_previous_signing_secret VARCHAR(128) NULL AFTER callback_signing_secret,
         ADD COLUMN callback_previous_secret_until DATETIME(3) NULL AFTER callback_previous_signing_secret`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE client_application DROP COLUMN callback_previous_secret_until, DROP COLUMN callback_previous_signing_secret');
  }
}
