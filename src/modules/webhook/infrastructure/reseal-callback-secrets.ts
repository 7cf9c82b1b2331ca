import type { DataSource } from 'typeorm';
import { SecretUnreadable, type SecretBox } from '../../../platform/security/secret-box';
import type { CallbackAuthType, StoredCallbackSecret, UnreadableSecret } from '../domain/callback-settings';
import { SECRET_MEMBER, authConfigOf, contexts } from './mysql-callback-settings.repository';

interface SecretsRow {
  callback_auth_type: CallbackAuthType;
  callback_auth_config: string | Record<string, string> | null;
  callback_signing_secret: string | null;
  callback_previous_signing_secret: string | null;
}

/** A stored secret no configured key opens (named, never shown), with the application it belongs to. */
export interface UnreadableApplicationSecret extends UnreadableSecret {
  clientApplicationId: string;
}

export interface ResealOutcome {
  /** Applications holding at least one callback secret. */
  applications: number;
  /** Secrets stored anew. */
  resealed: number;
  /** Secrets left as stored because no configured key opens them. */
  unreadable: UnreadableApplicationSecret[];
}

/**
 * Stores every callback secret as the box seals now: after SECRETS_KEY was replaced (the old
 * key in SECRETS_KEY_PREVIOUS), under the new key; after it was removed, plain; values already
 * sealed with the current key are left as they are, so a second run changes nothing. One
 * transaction per application, its row locked, so running processes may keep writing.
 *
 * A value no configured key opens is left exactly as stored and reported, and the run goes on
 * with the application's other secrets and the applications after it: one value sealed with a
 * forgotten key must not keep the rest under the key being retired. A run with that key added
 * to SECRETS_KEY_PREVIOUS then reseals only what is left.
 */
export async function resealCallbackSecrets(db: DataSource, box: SecretBox): Promise<ResealOutcome> {
  const ids: { id: string }[] = await db.query(
    `SELECT id FROM client_application
      WHERE callback_signing_secret IS NOT NULL OR callback_previous_signing_secret IS NOT NULL OR callback_auth_config IS NOT NULL
      ORDER BY id`,
  );
  let resealed = 0;
  const unreadable: UnreadableApplicationSecret[] = [];
  for (const { id } of ids) {
    resealed += await db.transaction(async (tx) => {
      const rows: SecretsRow[] = await tx.query(
        'SELECT callback_auth_type, callback_auth_config, callback_signing_secret, callback_previous_signing_secret FROM client_application WHERE id = ? FOR UPDATE',
        [id],
      );
      if (rows.length === 0) return 0;
      const [row] = rows;
      const clientApplicationId = String(id);
      const context = contexts(clientApplicationId);
      // undefined: nothing to store for this secret (absent, already as it should be, or unreadable).
      const resealOne = (stored: string | null | undefined, secret: StoredCallbackSecret, ctx: string): string | undefined => {
        if (typeof stored !== 'string') return undefined;
        try {
          return box.reseal(stored, ctx);
        } catch (err) {
          if (!(err instanceof SecretUnreadable)) throw err;
          unreadable.push({ clientApplicationId, secret, reason: err.message });
          return undefined;
        }
      };
      const signing = resealOne(row.callback_signing_secret, 'signing', context.signing);
      const previous = resealOne(row.callback_previous_signing_secret, 'previous signing', context.signing);
      const config = authConfigOf(row.callback_auth_config);
      const member = SECRET_MEMBER[row.callback_auth_type];
      const credential = member ? resealOne(config[member], 'credentials', context.credentials) : undefined;
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
  return { applications: ids.length, resealed, unreadable };
}
