import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { resealCallbackSecrets } from '../modules/webhook';
import { configOrExit } from '../platform/config/config-or-exit';
import { loadEnvFile } from '../platform/config/load-env';
import { dataSourceOptions } from '../platform/database/data-source-options';
import { secretBoxOf } from '../platform/security/secret-box.provider';
import { cliLog, errorText } from './cli-log';

/**
 * `npm run secrets:reseal`: after SECRETS_KEY was replaced (the old key moved to
 * SECRETS_KEY_PREVIOUS in every process) or removed, stores every stored secret as the
 * current key seals it; SECRETS_KEY_PREVIOUS can be dropped afterwards. Safe to run again.
 *
 * A secret no configured key opens is named (application and which secret, never its value)
 * and left as stored while the others are resealed; the exit code is then 1, so that a
 * script emptying SECRETS_KEY_PREVIOUS after this command stops while that key may still be
 * needed.
 */
async function main(): Promise<number> {
  loadEnvFile();
  const config = configOrExit();
  const db = await new DataSource(dataSourceOptions(config, { poolSize: 2 })).initialize();
  try {
    const { applications, resealed, unreadable } = await resealCallbackSecrets(db, secretBoxOf(config));
    const sealedWith = config.SECRETS_KEY ? 'SECRETS_KEY' : 'nothing (stored plain)';
    for (const { clientApplicationId, secret, reason } of unreadable) {
      cliLog('error', 'stored secret unreadable, left as stored', { clientApplicationId, secret, reason });
    }
    if (unreadable.length === 0) {
      cliLog('info', 'stored secrets resealed', { applications, resealed, sealedWith });
      return 0;
    }
    cliLog('error', 'stored secrets resealed except those unreadable: set the key they were sealed with in SECRETS_KEY_PREVIOUS, keep it there and run again; if that key is lost, replace each through the administration API (docs/webhooks.md, A lost key)', {
      applications,
      resealed,
      unreadable: unreadable.length,
      sealedWith,
    });
    return 1;
  } finally {
    await db.destroy();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    cliLog('error', 'resealing stored secrets failed', { err: errorText(err) });
    process.exit(1);
  },
);
