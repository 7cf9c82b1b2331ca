import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { seedDemo } from '../src/cli/demo-seed';
import { MIGRATIONS } from '../src/migrations';
import { contactLookupKey } from '../src/modules/customer/domain/contact-lookup-key';
import { validateEnv } from '../src/platform/config/app-config';
import { dataSourceOptions } from '../src/platform/database/data-source-options';
import { runToExit } from './support/run-to-exit';
import { schemaSnapshot, tableNames, type SchemaSnapshot } from './support/schema-snapshot';

const config = validateEnv(process.env);
const MIGRATIONS_TABLE = 'schema_migration';

/** A database of its own for each test, created empty and dropped after it. */
async function withDatabase(test: (name: string) => Promise<void>): Promise<void> {
  const name = `migrations_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await new DataSource({ ...dataSourceOptions(config, { poolSize: 1 }), database: undefined } as never).initialize();
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    await test(name);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.destroy();
  }
}

/** The app's data source on that database, with the first `count` migrations (all by default). */
async function connect(database: string, count = MIGRATIONS.length): Promise<DataSource> {
  const options = dataSourceOptions(config, { database, poolSize: 2 });
  return new DataSource({ ...options, migrations: MIGRATIONS.slice(0, count) }).initialize();
}

async function migratedSchema(db: DataSource): Promise<SchemaSnapshot> {
  await db.runMigrations({ transaction: 'each' });
  return schemaSnapshot(db, MIGRATIONS_TABLE);
}

/** Jest's diff shows the part of the schema that differs; `when` says at which step. */
function expectSchema(actual: SchemaSnapshot, expected: SchemaSnapshot, when: string): void {
  try {
    expect(actual).toEqual(expected);
  } catch (err) {
    (err as Error).message = `schema ${when}:\n${(err as Error).message}`;
    throw err;
  }
}

function runSeed(database: string): Promise<{ code: number | null; output: string }> {
  return runCli(database, 'dist/src/cli/seed.js', '--no-banner');
}

/** What the containers run before the api and the workers. */
function runMigrate(database: string): Promise<{ code: number | null; output: string }> {
  return runCli(database, 'dist/src/cli/migrate.js', '--seed-demo');
}

function runCli(database: string, script: string, ...args: string[]): Promise<{ code: number | null; output: string }> {
  return runToExit(script, { DB_NAME: database }, { args });
}

/** Every row of every table (TypeORM's own included), in primary-key order. */
async function contents(db: DataSource): Promise<Record<string, unknown[]>> {
  const all: Record<string, unknown[]> = {};
  for (const table of await tableNames(db)) all[table] = await db.query(`SELECT * FROM \`${table}\` ORDER BY 1`);
  return all;
}

/** Contact points of the kinds the re-keying migrations rewrite, keyed as a start keys them today. */
const LONG_LOYALTY_ID = 'L'.repeat(300);
const CONTACT_POINTS: [attribute: string, value: string][] = [
  ['email.emailAddress', 'Ada@xn--bcher-kva.Example'],
  ['mobile.phone', '+44 (0)20 7946 0958'],
  ['social.twitterId', '@Ada_L'],
  ['custom.loyalty_id', LONG_LOYALTY_ID],
];

async function insertCustomer(db: DataSource): Promise<void> {
  const customer: { insertId: number } = await db.query("INSERT INTO customer (first_name, custom_attributes, created_at) VALUES ('Ada', ?, NOW(3))", [
    JSON.stringify([{ name: 'loyalty_id', values: [LONG_LOYALTY_ID] }]),
  ]);
  for (const [attribute, value] of CONTACT_POINTS) {
    await db.query('INSERT INTO contact_point (customer_id, attribute, value, normalized_value, lookup_scope) VALUES (?, ?, ?, ?, 0)', [
      customer.insertId,
      attribute,
      value.slice(0, 255),
      contactLookupKey(attribute, value),
    ]);
  }
}

describe('migrations', () => {
  it("each migration's down() puts back the schema its up() found, down to an empty schema, and running them all again builds the same schema", async () => {
    await withDatabase(async (name) => {
      // The schema after the first k migrations, k = 0 .. all, each run by a data source that knows only those.
      const after: SchemaSnapshot[] = [];
      for (let k = 0; k <= MIGRATIONS.length; k++) {
        const step = await connect(name, k);
        try {
          after.push(await migratedSchema(step));
        } finally {
          await step.destroy();
        }
      }
      const db = await connect(name);
      try {
        for (let k = MIGRATIONS.length; k > 0; k--) {
          await db.undoLastMigration({ transaction: 'each' });
          expectSchema(await schemaSnapshot(db, MIGRATIONS_TABLE), after[k - 1], `after ${MIGRATIONS[k - 1].name}.down()`);
        }
        expect(await tableNames(db)).toEqual([MIGRATIONS_TABLE]);
        expect(await db.query(`SELECT name FROM ${MIGRATIONS_TABLE}`)).toEqual([]);

        expectSchema(await migratedSchema(db), after[MIGRATIONS.length], 'after every migration ran again');
      } finally {
        await db.destroy();
      }
    });
  });

  it("each migration's down() runs on a database holding data, and the re-keyed contact points get their keys back when the migrations run again", async () => {
    await withDatabase(async (name) => {
      const db = await connect(name);
      try {
        await db.runMigrations({ transaction: 'each' });
        await seedDemo(db);
        await insertCustomer(db);
        const keys = (): Promise<{ attribute: string; normalized_value: string }[]> => db.query('SELECT attribute, normalized_value FROM contact_point ORDER BY id');
        const keyed = await keys();
        expect(keyed).toHaveLength(CONTACT_POINTS.length);

        // Down to the first release's schema, whose tables still hold the rows: each key is back to its old form.
        for (let k = MIGRATIONS.length; k > 1; k--) await db.undoLastMigration({ transaction: 'each' });
        const unchanged = (await keys()).filter((row, i) => row.normalized_value === keyed[i].normalized_value);
        expect(unchanged).toEqual([]);
        await db.runMigrations({ transaction: 'each' });
        expect(await keys()).toEqual(keyed);

        for (let k = MIGRATIONS.length; k > 0; k--) await db.undoLastMigration({ transaction: 'each' });
        expect(await tableNames(db)).toEqual([MIGRATIONS_TABLE]);
      } finally {
        await db.destroy();
      }
    });
  });

  it('keeps an answer remembered for an Idempotency-Key as text, as written, not in a JSON column a MySQL server would reorder', async () => {
    await withDatabase(async (name) => {
      const db = await connect(name);
      try {
        await db.runMigrations({ transaction: 'each' });
        const [table] = await db.query('SHOW CREATE TABLE idempotency_record');
        const created = String(table['Create Table']);
        expect(created).toMatch(/`response` longtext/i);
        expect(created).not.toMatch(/json_valid\(`response`\)/i);
        const written = '{"conversation":{"id":"c","state":"waiting","entryPoint":{"id":"1001"}}}';
        await db.query("INSERT INTO idempotency_record (scope, idempotency_key, request_hash, state, status_code, response, created_at) VALUES ('s', 'k', ?, 'completed', 200, ?, NOW(3))", [Buffer.alloc(32), written]);
        expect((await db.query('SELECT response FROM idempotency_record'))[0].response).toBe(written);
      } finally {
        await db.destroy();
      }
    });
  });

  it('npm run seed fills an empty migrated database once; run again, it changes nothing', async () => {
    await withDatabase(async (name) => {
      const db = await connect(name);
      try {
        await db.runMigrations({ transaction: 'each' });
        const first = await runSeed(name);
        expect(first).toMatchObject({ code: 0, output: expect.stringContaining('Demo data created.') });
        const seeded = await contents(db);
        expect(seeded.client_application).toHaveLength(2);

        const second = await runSeed(name);
        expect(second).toMatchObject({ code: 0, output: expect.stringContaining('demo seed skipped') });
        expect(await contents(db)).toEqual(seeded);
      } finally {
        await db.destroy();
      }
    });
  });

  it('migrate --seed-demo migrates and seeds an empty database; run again, it runs nothing and changes nothing', async () => {
    await withDatabase(async (name) => {
      const first = await runMigrate(name);
      expect(first).toMatchObject({ code: 0, output: expect.stringContaining('demo configuration seeded') });
      const db = await connect(name);
      try {
        const seeded = await contents(db);
        expect(seeded[MIGRATIONS_TABLE]).toHaveLength(MIGRATIONS.length);
        expect(seeded.client_application).toHaveLength(2);

        const second = await runMigrate(name);
        expect(second).toMatchObject({ code: 0, output: expect.stringContaining('demo seed skipped') });
        expect(second.output).toContain('"ran":[]');
        expect(await contents(db)).toEqual(seeded);
      } finally {
        await db.destroy();
      }
    });
  });

  it('migrate --seed-demo leaves alone a database whose configuration was begun, as npm run seed does', async () => {
    await withDatabase(async (name) => {
      const db = await connect(name);
      try {
        await db.runMigrations({ transaction: 'each' });
        await db.query("INSERT INTO department (id, name) VALUES (1, 'Front desk')");
        const before = await contents(db);

        const run = await runMigrate(name);
        expect(run).toMatchObject({ code: 0, output: expect.stringContaining('demo seed skipped') });
        expect(await contents(db)).toEqual(before);
      } finally {
        await db.destroy();
      }
    });
  });

  it('npm run seed leaves alone a database whose configuration was begun before any client application existed', async () => {
    await withDatabase(async (name) => {
      const db = await connect(name);
      try {
        await db.runMigrations({ transaction: 'each' });
        // What an administrator's first steps leave: a department and a setting, no application yet.
        await db.query("INSERT INTO department (id, name) VALUES (1, 'Front desk')");
        await db.query("INSERT INTO system_setting (name, value) VALUES ('customer_departmentalization', 'true')");
        const before = await contents(db);

        const run = await runSeed(name);
        expect(run).toMatchObject({ code: 0, output: expect.stringContaining('demo seed skipped') });
        expect(await contents(db)).toEqual(before);
      } finally {
        await db.destroy();
      }
    });
  });

  it.each([
    ['no migration', 0],
    ['the first migrations only', 3],
  ])('npm run seed on a database where %s ran says to run the migrations, exits 1 and changes nothing', async (_what, count) => {
    await withDatabase(async (name) => {
      const db = await connect(name, count);
      try {
        if (count > 0) await db.runMigrations({ transaction: 'each' });
        const before = await contents(db);

        const run = await runSeed(name);
        expect(run.code).toBe(1);
        expect(run.output).toContain('node dist/src/cli/migrate.js');
        expect(run.output).toContain(`${MIGRATIONS.length - count} of ${MIGRATIONS.length} migrations`);
        expect(run.output).not.toMatch(/^\s+at /m);
        expect(await contents(db)).toEqual(before);
      } finally {
        await db.destroy();
      }
    });
  });
});
