import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Rows of `message` per statement: each DELETE holds the locks of one such range only. */
const RANGE = 10_000;

/**
 * Releases before typing left the transcript wrote every startTyping and endTyping as a row of
 * `message`, which no reading shows and nothing deleted: a row each time someone started or
 * stopped typing, kept for good. No release writes them any more, so they are deleted once,
 * here, rather than searched for at every round of a periodic task (no index leads with the
 * type). The table is read by `seq` in ranges without locking, and the typing rows found are
 * deleted by their primary key: the migration locks those rows alone, never a range or the
 * gap new messages are written into, so an api still running meanwhile is not held up.
 */
export class DropTypingRows1765500000000 implements MigrationInterface {
  name = 'DropTypingRows1765500000000';

  async up(q: QueryRunner): Promise<void> {
    const [{ last }] = (await q.query('SELECT COALESCE(MAX(seq), 0) AS last FROM message')) as { last: string | number }[];
    const end = BigInt(last);
    for (let from = 0n; from < end; from += BigInt(RANGE)) {
      const rows = (await q.query("SELECT id FROM message WHERE seq > ? AND seq <= ? AND type IN ('startTyping', 'endTyping')", [
        from.toString(),
        (from + BigInt(RANGE)).toString(),
      ])) as { id: string }[];
      if (rows.length > 0) await q.query('DELETE FROM message WHERE id IN (?)', [rows.map((r) => r.id)]);
    }
  }

  /** What was deleted was never shown; there is nothing to put back. */
  async down(): Promise<void> {}
}
