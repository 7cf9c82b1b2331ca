import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A conversation's last event of a type (`assigned`, `complete`) in one probe: a reading
 * answers `assignedDate` and `completedDate` from those events whichever page of the
 * transcript it gives, and by the conversation's own index it walked back over every message
 * written after the assignment.
 */
export class MessageEventIndex1765400000000 implements MigrationInterface {
  name = 'MessageEventIndex1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE message ADD KEY ix_message_event (conversation_id, type, seq)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE message DROP KEY ix_message_event');
  }
}
