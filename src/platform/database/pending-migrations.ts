import type { DataSource } from 'typeorm';

/**
 * The names of the migrations `db` knows that its database has not run, all of them where the
 * migrations table does not exist. It only reads: TypeORM's showMigrations creates that table,
 * and a command that refuses to run should leave the database as it found it.
 */
export async function pendingMigrations(db: DataSource): Promise<string[]> {
  const table = db.options.migrationsTableName ?? 'migrations';
  const [{ n }]: { n: string }[] = await db.query('SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?', [table]);
  const ran: { name: string }[] = Number(n) === 0 ? [] : await db.query(`SELECT name FROM \`${table}\``);
  const names = new Set(ran.map((r) => r.name));
  return db.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !names.has(name));
}
