import type { DataSource } from 'typeorm';
import type { SecretBox } from '../../../platform/security/secret-box';
import type { CallbackAuthType } from '../domain/callback-settings';
import { SECRET_MEMBER, authConfigOf, contexts } from './mysql-callback-settings.repository';

interface SecretsRow {
  callback_auth_type: CallbackAuthType;
  callback_auth_config: string | Record<string, string> | null;
  callback_signing_secret: string | null;
  callback_previous_signing_secret: string | null;
}

/**
 * Stores every callback secret as the box seals now: after SECRETS_KEY was replaced (the old
 * key in SECRETS_KEY_PREVIOUS), under the new key; after it was removed, plain; values already
 * sealed with the current key are left as they are, so a second run changes nothing. One
 * transaction per application, its row locked, so running processes may keep writing. A value
 * no configured key opens stops the run with SecretUnreadable (naming the application); the
 * applications before it are done, and a run with the right keys continues.
 */
export async function resealCallbackSecrets(db: DataSource, box: SecretBox): Promise<{ applications: number; resealed: number }> {
  const ids: { id: string }[] = await db.query(
    `SELECT id FROM client_application
      WHERE callback_signing_secret IS NOT NULL OR callback_previous_signing_secret IS NOT NULL OR callback_auth_config IS NOT NULL
      ORDER BY id`,
  );
  let resealed = 0;
  for (const { id } of ids) {
    resealed += await db.transaction(async (tx) => {
      const rows: SecretsRow[] = await tx.query(
        'SELECT callback_auth_type, callback_auth_config, callback_signing_secret, callback_previous_signing_secret FROM client_application WHERE id = ? FOR UPDATE',
        [id],
      );
      if (rows.length === 0) return 0;
      const [row] = rows;
      const context = contexts(String(id));
      const signing = row.callback_signing_secret === null ? undefined : box.reseal(row.callback_signing_secret, context.signing);
      const previous = row.callback_previous_signing_secret === null ? undefined : box.reseal(row.callback_previous_signing_secret, context.signing);
      const config = authConfigOf(row.callback_auth_config);
      const member = SECRET_MEMBER[row.callback_auth_type];
      const credential = member && typeof config[member] === 'string' ? box.reseal(config[member], context.credentials) : undefined;
      const changed = [signing, previous, credential].filter((v) => v !== undefined).length;
      if (changed === 0) return 0;
      await tx.query(
        `UPDATE client_application
            SET callback_signing_secret = COALESCE(?, callback_signing_secret),
                callback_previous_signing_secret = COALESCE(?, callback_previous_signing_secret),
                callback_auth_config = COALESCE(?, callback_auth_config)
          WHERE id = ?`,
        [signing ?? null, previous ?? null, credential === undefined ? null : JSON.stringify({ ...config, [member!]: credential }), id],
      );
      return changed;
    });
  }
  return { applications: ids.length, resealed };
}
