import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { configOrExit } from '../platform/config/config-or-exit';
import { loadEnvFile } from '../platform/config/load-env';
import { dataSourceOptions } from '../platform/database/data-source-options';
import { ServerBelowMinimum, belowMinimumFields, databaseFinding, enforce } from '../platform/runtime/server-versions';
import { cliLog, errorText } from './cli-log';
import { isEmpty, seedDemo } from './demo-seed';

const CONNECT_WAIT_MS = 60_000;

/**
 * `node dist/src/cli/migrate.js [--seed-demo]`: runs the pending migrations (waiting up to a
 * minute for MySQL, which in a container may still be starting), then, with --seed-demo,
 * loads the demo configuration into an empty database. What containers run before the
 * api and the workers; safe to run again (nothing pending, nothing seeded twice).
 */
async function main(): Promise<void> {
  loadEnvFile();
  const config = configOrExit();
  const db = await connect(new DataSource(dataSourceOptions(config, { poolSize: 2 })));
  try {
    // Before the first statement of a migration: a database the platform cannot run on is left untouched.
    const [{ version }] = (await db.query('SELECT VERSION() AS version')) as { version: string }[];
    enforce([databaseFinding(version)]);
    const ran = await db.runMigrations({ transaction: 'each' });
    cliLog('info', 'migrations done', { ran: ran.map((m) => m.name), database: config.DB_NAME });
    if (process.argv.includes('--seed-demo')) {
      if (await isEmpty(db)) {
        await seedDemo(db);
        cliLog('info', 'demo configuration seeded');
      } else {
        cliLog('info', 'database already holds configuration; demo seed skipped');
      }
    }
  } finally {
    await db.destroy();
  }
}

async function connect(db: DataSource): Promise<DataSource> {
  const started = Date.now();
  for (;;) {
    try {
      return await db.initialize();
    } catch (err) {
      if (Date.now() - started > CONNECT_WAIT_MS) throw err;
      cliLog('info', 'waiting for the database', { err: errorText(err) });
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

main().catch((err: unknown) => {
  cliLog(err instanceof ServerBelowMinimum ? 'fatal' : 'error', 'migration failed', { err: errorText(err), ...belowMinimumFields(err) });
  process.exit(1);
});
