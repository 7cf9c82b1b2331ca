import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the two periodic reads of the session table, which otherwise walk every row of
 * it (a row per login, kept a day after its session ended): the worker's purge of old rows
 * (`ended_at`), and the presence sweep's locking read of agent sessions past their expiry
 * (`kind, ended_at, expires_at`), which without its index locked every agent session it
 * walked past.
 */
export class SessionPurgeIndexes1765200000000 implements MigrationInterface {
  name = 'SessionPurgeIndexes1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE session ADD KEY ix_session_ended (ended_at), ADD KEY ix_session_open (kind, ended_at, expires_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE session DROP KEY ix_session_ended, DROP KEY ix_session_open');
  }
}
