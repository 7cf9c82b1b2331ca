import type { DataSource } from 'typeorm';
import { isEmpty, seedDemo } from './demo-seed';

/** The tables a statement writes, from what seedDemo sends: `INSERT INTO <table> …`. */
function insertedTables(statements: string[]): string[] {
  return [...new Set(statements.map((sql) => /^\s*INSERT INTO `?(\w+)`?/i.exec(sql)?.[1]).filter((t): t is string => !!t))];
}

/** The tables isEmpty asks about, from its `SELECT 1 FROM <table>` parts. */
function checkedTables(sql: string): string[] {
  return [...sql.matchAll(/FROM `?(\w+)`?\)/g)].map((m) => m[1]);
}

describe('demo seed', () => {
  it('counts a database as holding configuration when any table the seed writes holds a row', async () => {
    const statements: string[] = [];
    let insertId = 0;
    const tx = { query: async (sql: string) => (statements.push(sql), { insertId: ++insertId }) };
    const writer = { transaction: async (work: (t: typeof tx) => Promise<void>) => work(tx) } as unknown as DataSource;
    await seedDemo(writer);
    const written = insertedTables(statements);
    expect(written.length).toBeGreaterThan(5);

    let asked = '';
    // Every table empty but one: the seed would collide with that one's ids, so the database is not empty.
    for (const full of written) {
      const reader = {
        query: async (sql: string) => ((asked = sql), checkedTables(sql).map((t) => ({ n: t === full ? '1' : '0' }))),
      } as unknown as DataSource;
      expect({ full, empty: await isEmpty(reader) }).toEqual({ full, empty: false });
    }
    expect(checkedTables(asked).sort()).toEqual([...written].sort());

    const none = { query: async (sql: string) => checkedTables(sql).map(() => ({ n: 0 })) } as unknown as DataSource;
    expect(await isEmpty(none)).toBe(true);
  });
});
