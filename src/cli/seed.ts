import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { validateEnv } from '../platform/config/app-config';
import { loadEnvFile } from '../platform/config/load-env';
import { dataSourceOptions } from '../platform/database/data-source-options';
import { DEMO_DEFAULTS, isEmpty, seedDemo } from './demo-seed';

/** `npm run seed`: loads the demo configuration into an empty database and shows how to start a chat. */
async function main(): Promise<void> {
  loadEnvFile();
  const config = validateEnv(process.env);
  const db = await new DataSource(dataSourceOptions(config, { poolSize: 2 })).initialize();
  try {
    const credentials = { ...DEMO_DEFAULTS, chatClientSecret: process.env.DEMO_CLIENT_SECRET || DEMO_DEFAULTS.chatClientSecret };
    if (await isEmpty(db)) {
      await seedDemo(db, credentials);
      console.log('Demo data created.');
    } else {
      // What this database holds may have changed since it was seeded: the banner can only give
      // the demo's credentials, so it says they may be stale rather than vouch for them.
      console.log('Database already holds configuration; demo seed skipped. The credentials below are the demo seed\'s; if the demo application\'s secret, its agents or entry points were changed since, use those instead.');
    }
    const port = config.HTTP_PORT;
    const base = `http://127.0.0.1:${port}${config.CONTEXT_PATH}/ws/v19/clientapplications`;
    console.log(`
Demo chat client application: ${credentials.chatClientKey} / ${credentials.chatClientSecret}
Entry points: ${credentials.entryPointIds.join(', ')}   Agents: alice, bob, carol (password ${credentials.agentPassword})

Start a conversation:
  TOKEN=$(curl -s -u ${credentials.chatClientKey}:${credentials.chatClientSecret} -d grant_type=client_credentials ${base}/authentication/oauth2/token | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
  LM=$(curl -s -H "Authorization: Bearer $TOKEN" "${base}/messaging/configuration?entrypoint=1001" | sed 's/.*"date":"\\([^"]*\\)".*/\\1/')
  curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
    -d '{"entryPointConfiguration":{"entryPoint":{"id":"1001"},"lastModified":{"date":"'$LM'"}},"activity":{"subject":"Where is my order?","customer":{"contacts":{"contact":[{"firstName":"Ada","email":[{"emailAddress":"ada@example.com"}]}]}}}}' \\
    "${base}/messaging/conversation/start?searchContactOnAttribute=email.emailAddress"
`);
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
