import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { validateEnv } from '../platform/config/app-config';
import { loadEnvFile } from '../platform/config/load-env';
import { dataSourceOptions } from '../platform/database/data-source-options';
import { pendingMigrations } from '../platform/database/pending-migrations';
import { errorText } from './cli-log';
import { demoBanner, demoCredentials } from './demo-banner';
import { isEmpty, seedDemo } from './demo-seed';

/** `npm run seed`: loads the demo configuration into an empty database and shows how to start a chat (not with `--no-banner`). */
async function main(): Promise<void> {
  loadEnvFile();
  const config = validateEnv(process.env);
  const db = await new DataSource(dataSourceOptions(config, { poolSize: 2 })).initialize();
  try {
    // The seed writes the schema the last migration leaves: on a database short of it, it failed
    // on a missing table (none run) or wrote an out-of-date schema (some run), and said nothing of
    // what to do.
    const pending = await pendingMigrations(db);
    if (pending.length > 0) {
      console.error(`Database ${config.DB_NAME} is not migrated: ${pending.length} of ${db.migrations.length} migrations have not run. Run them with \`node dist/src/cli/migrate.js\` (npm start runs it too), then npm run seed again.`);
      process.exitCode = 1;
      return;
    }
    const credentials = demoCredentials();
    if (await isEmpty(db)) {
      await seedDemo(db, credentials);
      console.log('Demo data created.');
    } else {
      // What this database holds may have changed since it was seeded: the banner can only give
      // the demo's credentials, so it says they may be stale rather than vouch for them.
      console.log('Database already holds configuration; demo seed skipped. The credentials shown are the demo seed\'s; if the demo application\'s secret, its agents or entry points were changed since, use those instead.');
    }
    // `npm start` shows the banner once the api and a worker are ready, after their start-up logs.
    if (!process.argv.includes('--no-banner')) console.log(demoBanner(config, credentials));
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(errorText(err));
  process.exit(1);
});
