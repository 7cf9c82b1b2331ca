import type { EntityManager } from 'typeorm';

/**
 * The activity id of a conversation, by a plain read of the conversation's primary key.
 * Callers then lock the activity by its primary key: on MariaDB a locking read through the
 * unique conversation_id index also locks the gap before the entry, which held up the
 * inserts of new starts whose random conversation id fell into it.
 */
export async function activityIdOf(tx: EntityManager, conversationId: string): Promise<string | undefined> {
  const rows: { activity_id: string }[] = await tx.query('SELECT activity_id FROM conversation WHERE id = ?', [conversationId]);
  return rows.length === 0 ? undefined : String(rows[0].activity_id);
}
