import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { resealCallbackSecrets } from '../modules/webhook';
import { configOrExit } from '../platform/config/config-or-exit';
import { loadEnvFile } from '../platform/config/load-env';
import { dataSourceOptions } from '../platform/database/data-source-options';
import { secretBoxOf } from '../platform/security/secret-box.provider';
import { SecretUnreadable } from '../platform/security/secret-box';
import { cliLog, errorText } from './cli-log';

/**
 * `npm run secrets:reseal`: after SECRETS_KEY was replaced (the old key moved to
 * SECRETS_KEY_PREVIOUS in every process) or removed, stores every stored secret as the
 * current key seals it; SECRETS_KEY_PREVIOUS can be dropped afterwards. Safe to run again.
 */
async function main(): Promise<void> {
  loadEnvFile();
  const config = configOrExit();
  const db = await new DataSource(dataSourceOptions(config, { poolSize: 2 })).initialize();
  try {
    const result = await resealCallbackSecrets(db, secretBoxOf(config));
    cliLog('info', 'stored secrets resealed', { ...result, sealedWith: config.SECRETS_KEY ? 'SECRETS_KEY' : 'nothing (stored plain)' });
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  cliLog('error', err instanceof SecretUnreadable ? `${err.message}: set the key it was sealed with in SECRETS_KEY_PREVIOUS` : 'resealing stored secrets failed', {
    err: errorText(err),
  });
  process.exit(1);
});
