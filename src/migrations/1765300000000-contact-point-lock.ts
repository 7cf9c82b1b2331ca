import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rows a start locks before it creates a customer, one per bucket of contact points
 * (the first two bytes of a digest of scope, attribute and lookup key): two starts creating
 * customers that share a contact point, whatever attribute each searched on, lock a common
 * bucket and run one after the other, so the second finds the first's customer. Buckets keep
 * the table at most 65536 rows; unrelated customers that share one only wait for each other.
 */
export class ContactPointLock1765300000000 implements MigrationInterface {
  name = 'ContactPointLock1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE contact_point_lock (
      bucket SMALLINT UNSIGNED NOT NULL PRIMARY KEY
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE contact_point_lock');
  }
}
