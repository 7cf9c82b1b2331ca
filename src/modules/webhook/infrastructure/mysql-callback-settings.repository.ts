import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { CallbackSettingsRepository, type CallbackSettingsChange } from '../application/callback-settings.repository';
import type { CallbackAuthType, CallbackAuthentication, CallbackFormat, CallbackSettings, CallbackState } from '../domain/callback-settings';

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

/**
 * The callback_* columns of client_application. Outbound credentials are stored as
 * given (the platform must present them to the receiver, so they cannot be hashed);
 * they never leave this module unmasked.
 */
@Injectable()
export class MysqlCallbackSettingsRepository extends CallbackSettingsRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
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
    return rows.length === 0 ? undefined : toSettings(rows[0]);
  }

  async update(clientApplicationId: string, change: CallbackSettingsChange): Promise<void> {
    const { type, ...config } = change.authentication;
    await this.txHost.tx.query(
      `UPDATE client_application SET callback_url = ?, callback_format = ?, callback_auth_type = ?, callback_auth_config = ?, callback_failures = 0
        WHERE id = ?`,
      [change.url, change.format, type, type === 'none' ? null : JSON.stringify(config), clientApplicationId],
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
              callback_signing_secret = ?
        WHERE id = ?`,
      [keep, keep, Math.max(0, Math.floor(keepPreviousForSeconds)), secret, clientApplicationId],
    );
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
}

function toSettings(r: Row): CallbackSettings {
  const config = (typeof r.callback_auth_config === 'string' ? JSON.parse(r.callback_auth_config) : (r.callback_auth_config ?? {})) as Record<string, string>;
  return {
    clientApplicationId: String(r.id),
    url: r.callback_url,
    format: r.callback_format,
    authentication: authenticationOf(r.callback_auth_type, config),
    signingSecret: r.callback_signing_secret,
    previousSigningSecret: r.callback_previous_signing_secret !== null && r.callback_previous_secret_until !== null
      ? { value: r.callback_previous_signing_secret, validUntil: new Date(r.callback_previous_secret_until) }
      : null,
    state: r.callback_state,
    consecutiveFailures: Number(r.callback_failures),
  };
}

function authenticationOf(type: CallbackAuthType, c: Record<string, string>): CallbackAuthentication {
  switch (type) {
    case 'basic':
      return { type, username: c.username ?? '', password: c.password ?? '' };
    case 'oauth2':
      return { type, tokenUrl: c.tokenUrl ?? '', clientId: c.clientId ?? '', clientSecret: c.clientSecret ?? '', ...(c.scope ? { scope: c.scope } : {}) };
    default:
      return { type: 'none' };
  }
}
