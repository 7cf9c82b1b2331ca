import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { CallbackSettingsRepository, type CallbackSettingsChange } from '../application/callback-settings.repository';
import {
  UnreadableSecret,
  type CallbackAuthType,
  type CallbackAuthentication,
  type CallbackFormat,
  type CallbackSettings,
  type CallbackState,
  type StoredCallbackSecret,
  type StoredSecret,
} from '../domain/callback-settings';
import { SecretBox, SecretUnreadable } from '../../../platform/security/secret-box';

interface Row {
  id: string;
  callback_url: string | null;
  callback_format: CallbackFormat;
  callback_auth_type: CallbackAuthType;
  callback_auth_config: string | Record<string, string> | null;
  callback_signing_secret: string | null;
  /** NULL once its time is over (the query compares with the database's clock). */
  callback_previous_signing_secret: string | null;
  callback_previous_secret_until: Date | null;
  callback_state: CallbackState;
  callback_failures: number | string;
}

/** The member of each authentication type's settings that holds its secret. */
export const SECRET_MEMBER: Record<CallbackAuthType, 'password' | 'clientSecret' | undefined> = { none: undefined, basic: 'password', oauth2: 'clientSecret' };

/** callback_auth_config as stored (JSON text or already parsed by the driver), as an object. */
export function authConfigOf(stored: string | Record<string, string> | null): Record<string, string> {
  return (typeof stored === 'string' ? JSON.parse(stored) : (stored ?? {})) as Record<string, string>;
}

/** The secrets of one application's callback, each sealed under a context of its own (row and purpose). */
export const contexts = (clientApplicationId: string) => ({
  signing: `client_application/${clientApplicationId}/callback-signing-secret`,
  credentials: `client_application/${clientApplicationId}/callback-credentials`,
});

/**
 * The callback_* columns of client_application. Outbound credentials and signing secrets
 * cannot be hashed (the platform must present or use them); with SECRETS_KEY they are stored
 * encrypted (SecretBox), and they never leave the webhook module unmasked.
 */
@Injectable()
export class MysqlCallbackSettingsRepository extends CallbackSettingsRepository {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly box: SecretBox,
  ) {
    super();
  }

  async find(clientApplicationId: string, options: { lock?: boolean } = {}): Promise<CallbackSettings | undefined> {
    if (!/^\d{1,19}$/.test(clientApplicationId)) return undefined;
    const rows: Row[] = await this.txHost.tx.query(
      `SELECT id, callback_url, callback_format, callback_auth_type, callback_auth_config, callback_signing_secret,
              IF(callback_previous_secret_until > NOW(3), callback_previous_signing_secret, NULL) AS callback_previous_signing_secret,
              callback_previous_secret_until, callback_state, callback_failures
         FROM client_application WHERE id = ?${options.lock ? ' FOR UPDATE' : ''}`,
      [clientApplicationId],
    );
    return rows.length === 0 ? undefined : this.toSettings(rows[0]);
  }

  async update(clientApplicationId: string, change: CallbackSettingsChange, options: { settingsChanged: boolean }): Promise<void> {
    const { type, ...given } = change.authentication;
    const config: Record<string, StoredSecret | undefined> = { ...given };
    const secret = SECRET_MEMBER[type];
    const value = secret ? config[secret] : undefined;
    if (secret && value !== undefined) {
      // A credential no key opens, left as it is (another URL on the same origin): stored as it was.
      config[secret] = value instanceof UnreadableSecret ? await this.storedCredential(clientApplicationId, secret) : this.box.seal(value, contexts(clientApplicationId).credentials);
    }
    await this.txHost.tx.query(
      `UPDATE client_application SET callback_url = ?, callback_format = ?, callback_auth_type = ?, callback_auth_config = ?, callback_failures = 0,
              callback_changed_at = IF(?, NOW(3), callback_changed_at)
        WHERE id = ?`,
      [change.url, change.format, type, type === 'none' ? null : JSON.stringify(config), options.settingsChanged, clientApplicationId],
    );
  }

  async setSigningSecret(clientApplicationId: string, secret: string, keepPreviousForSeconds = 0): Promise<void> {
    // The secret is assigned last and the others read its old value, which holds whether the
    // server applies assignments in order or simultaneously.
    const keep = keepPreviousForSeconds > 0;
    await this.txHost.tx.query(
      `UPDATE client_application
          SET callback_previous_signing_secret = IF(? AND callback_signing_secret IS NOT NULL, callback_signing_secret, NULL),
              callback_previous_secret_until = IF(? AND callback_signing_secret IS NOT NULL, NOW(3) + INTERVAL ? SECOND, NULL),
              callback_signing_secret = ?,
              callback_signing_secret_changed_at = NOW(3)
        WHERE id = ?`,
      [keep, keep, Math.max(0, Math.floor(keepPreviousForSeconds)), this.box.seal(secret, contexts(clientApplicationId).signing), clientApplicationId],
    );
  }

  private async storedCredential(clientApplicationId: string, member: 'password' | 'clientSecret'): Promise<string | undefined> {
    const rows: Pick<Row, 'callback_auth_config'>[] = await this.txHost.tx.query('SELECT callback_auth_config FROM client_application WHERE id = ?', [clientApplicationId]);
    return authConfigOf(rows[0]?.callback_auth_config ?? null)[member];
  }

  async activate(clientApplicationId: string): Promise<void> {
    await this.txHost.tx.query("UPDATE client_application SET callback_state = 'active', callback_failures = 0 WHERE id = ?", [clientApplicationId]);
  }

  async recordSuccess(clientApplicationId: string): Promise<void> {
    await this.txHost.tx.query('UPDATE client_application SET callback_failures = 0 WHERE id = ? AND callback_failures <> 0', [clientApplicationId]);
  }

  async recordFailure(clientApplicationId: string, deactivateAt: number): Promise<{ failures: number; deactivated: boolean }> {
    // The state is assigned first and from the old count, which reads the same whether
    // the server applies assignments in order or simultaneously.
    await this.txHost.tx.query(
      `UPDATE client_application
          SET callback_state = IF(callback_failures + 1 >= ?, 'deactivated', callback_state), callback_failures = callback_failures + 1
        WHERE id = ?`,
      [deactivateAt, clientApplicationId],
    );
    const rows: { callback_failures: number | string; callback_state: CallbackState }[] = await this.txHost.tx.query(
      'SELECT callback_failures, callback_state FROM client_application WHERE id = ?',
      [clientApplicationId],
    );
    return { failures: Number(rows[0]?.callback_failures ?? 0), deactivated: rows[0]?.callback_state === 'deactivated' };
  }

  private toSettings(r: Row): CallbackSettings {
    const id = String(r.id);
    const { signing, credentials } = contexts(id);
    const config: Record<string, StoredSecret> = authConfigOf(r.callback_auth_config);
    const secret = SECRET_MEMBER[r.callback_auth_type];
    if (secret && typeof config[secret] === 'string') config[secret] = this.open(config[secret], credentials, 'credentials');
    return {
      clientApplicationId: id,
      url: r.callback_url,
      format: r.callback_format,
      authentication: authenticationOf(r.callback_auth_type, config),
      signingSecret: r.callback_signing_secret === null ? null : this.open(r.callback_signing_secret, signing, 'signing'),
      previousSigningSecret: r.callback_previous_signing_secret !== null && r.callback_previous_secret_until !== null
        ? { value: this.open(r.callback_previous_signing_secret, signing, 'previous signing'), validUntil: new Date(r.callback_previous_secret_until) }
        : null,
      state: r.callback_state,
      consecutiveFailures: Number(r.callback_failures),
    };
  }

  /**
   * A value sealed with a key since lost is read as an UnreadableSecret rather than failing the
   * whole reading: the settings must stay readable and replaceable without it.
   */
  private open(stored: string, context: string, secret: StoredCallbackSecret): StoredSecret {
    try {
      return this.box.open(stored, context);
    } catch (err) {
      if (!(err instanceof SecretUnreadable)) throw err;
      return new UnreadableSecret(secret, err.message);
    }
  }
}

function authenticationOf(type: CallbackAuthType, c: Record<string, StoredSecret>): CallbackAuthentication<StoredSecret> {
  switch (type) {
    case 'basic':
      return { type, username: text(c.username), password: c.password ?? '' };
    case 'oauth2':
      return { type, tokenUrl: text(c.tokenUrl), clientId: text(c.clientId), clientSecret: c.clientSecret ?? '', ...(c.scope ? { scope: text(c.scope) } : {}) };
    default:
      return { type: 'none' };
  }
}

/** A member of the stored settings that is never sealed. */
function text(value: StoredSecret | undefined): string {
  return typeof value === 'string' ? value : '';
}
