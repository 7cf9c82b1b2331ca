import type { DataSource } from 'typeorm';

/**
 * What information_schema says of a database's tables, columns, indexes and constraints,
 * in a fixed order, so that two databases built the same way compare equal. The database's
 * own name is left out, and so is TypeORM's table of executed migrations (`except`): its
 * AUTO_INCREMENT counts every migration ever run, reverted ones included.
 */
export interface SchemaSnapshot {
  tables: unknown[];
  columns: unknown[];
  indexes: unknown[];
  constraints: unknown[];
  foreignKeys: unknown[];
  checks: unknown[];
}

export async function schemaSnapshot(db: DataSource, except: string): Promise<SchemaSnapshot> {
  const read = (sql: string): Promise<unknown[]> => db.query(sql, [except]);
  const [tables, columns, indexes, constraints, foreignKeys, checks] = await Promise.all([
    read(`SELECT TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_COLLATION, AUTO_INCREMENT, CREATE_OPTIONS
            FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> ? ORDER BY TABLE_NAME`),
    read(`SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA,
                 CHARACTER_SET_NAME, COLLATION_NAME, GENERATION_EXPRESSION
            FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> ? ORDER BY TABLE_NAME, ORDINAL_POSITION`),
    read(`SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE, SUB_PART, COLLATION, INDEX_TYPE
            FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`),
    read(`SELECT t.TABLE_NAME, t.CONSTRAINT_NAME, t.CONSTRAINT_TYPE, k.ORDINAL_POSITION, k.COLUMN_NAME,
                 k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME
            FROM information_schema.TABLE_CONSTRAINTS t
            LEFT JOIN information_schema.KEY_COLUMN_USAGE k
              ON k.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA AND k.TABLE_NAME = t.TABLE_NAME AND k.CONSTRAINT_NAME = t.CONSTRAINT_NAME
           WHERE t.CONSTRAINT_SCHEMA = DATABASE() AND t.TABLE_NAME <> ? ORDER BY t.TABLE_NAME, t.CONSTRAINT_NAME, k.ORDINAL_POSITION`),
    read(`SELECT TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME, UPDATE_RULE, DELETE_RULE
            FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME <> ? ORDER BY TABLE_NAME, CONSTRAINT_NAME`),
    read(`SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE
            FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME <> ? ORDER BY TABLE_NAME, CONSTRAINT_NAME`),
  ]);
  return { tables, columns, indexes, constraints, foreignKeys, checks };
}

/** The names of the database's tables, TypeORM's own included. */
export async function tableNames(db: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await db.query('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME');
  return rows.map((r) => r.name);
}
