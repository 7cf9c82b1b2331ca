import { Injectable } from '@nestjs/common';
import {
  ClientApplicationSettingsRepository,
  type ClientApplicationChanges,
  type NewClientApplication,
} from '../application/client-application-settings.repository';
import type { CallbackFormat, ClientApplicationSettings } from '../domain/configuration';
import { MysqlConfigurationTable, idOrNothing } from './mysql-query';
import type { ListPage, ListPageOf } from '../domain/list-page';

interface Row {
  id: string;
  name: string;
  type: string;
  client_id: string;
  callback_url: string | null;
  callback_format: CallbackFormat;
  callback_state: 'active' | 'deactivated';
  created_at: Date;
  secret_changed_at: Date;
  callback_signing_secret_changed_at: Date | null;
  callback_changed_at: Date | null;
  entry_point_ids: string | null;
}

const SELECT = `SELECT ca.id, ca.name, ca.type, ca.client_id, ca.callback_url, ca.callback_format, ca.callback_state, ca.created_at, ca.secret_changed_at, ca.callback_signing_secret_changed_at, ca.callback_changed_at,
                       (SELECT GROUP_CONCAT(e.entry_point_id ORDER BY e.entry_point_id) FROM client_application_entry_point e
                         WHERE e.client_application_id = ca.id) AS entry_point_ids
                  FROM client_application ca`;

const toApplication = (r: Row): ClientApplicationSettings => ({
  id: String(r.id),
  name: r.name,
  type: r.type,
  clientId: r.client_id,
  entryPointIds: r.entry_point_ids ? String(r.entry_point_ids).split(',') : [],
  callbackUrl: r.callback_url,
  callbackFormat: r.callback_format,
  callbackState: r.callback_state,
  createdAt: new Date(r.created_at),
  secretChangedAt: new Date(r.secret_changed_at),
  callbackSigningSecretChangedAt: r.callback_signing_secret_changed_at === null ? null : new Date(r.callback_signing_secret_changed_at),
  callbackChangedAt: r.callback_changed_at === null ? null : new Date(r.callback_changed_at),
});

/** Secrets are written as hashes only and never read back here; the callback columns are only read. */
@Injectable()
export class MysqlClientApplicationSettingsRepository extends MysqlConfigurationTable implements ClientApplicationSettingsRepository {
  list(page: ListPage): Promise<ListPageOf<ClientApplicationSettings>> {
    return this.listPage(SELECT, 'ca.id', page, toApplication);
  }

  async byId(id: string, options: { lock?: boolean } = {}): Promise<ClientApplicationSettings | undefined> {
    if (!idOrNothing(id)) return undefined;
    // The application row alone, by primary key: its entry point rows are replaced only under this lock.
    if (options.lock) await this.query('SELECT id FROM client_application WHERE id = ? FOR UPDATE', [id]);
    const rows = await this.query<Row[]>(`${SELECT} WHERE ca.id = ?`, [id]);
    return rows[0] && toApplication(rows[0]);
  }

  async create(a: NewClientApplication): Promise<string> {
    const id = await this.insert(
      'INSERT INTO client_application (name, type, client_id, secret_hash, created_at, secret_changed_at) VALUES (?, ?, ?, ?, NOW(3), NOW(3))',
      [a.name, a.type, a.clientId, a.secretHash],
      'client application',
      'clientId',
    );
    await this.replaceEntryPoints(id, a.entryPointIds);
    return id;
  }

  async update(id: string, c: ClientApplicationChanges): Promise<void> {
    await this.updateColumns(
      'client_application',
      id,
      { name: c.name, type: c.type },
      'client application',
      'clientId',
    );
    if (c.entryPointIds !== undefined) await this.replaceEntryPoints(id, c.entryPointIds);
  }

  async replaceSecret(id: string, secretHash: string): Promise<void> {
    await this.query('UPDATE client_application SET secret_hash = ?, secret_changed_at = NOW(3) WHERE id = ?', [secretHash, id]);
  }

  private async replaceEntryPoints(applicationId: string, entryPointIds: string[]): Promise<void> {
    await this.query('DELETE FROM client_application_entry_point WHERE client_application_id = ?', [applicationId]);
    if (entryPointIds.length === 0) return;
    await this.query(
      `INSERT INTO client_application_entry_point (client_application_id, entry_point_id) VALUES ${entryPointIds.map(() => '(?, ?)').join(', ')}`,
      entryPointIds.flatMap((e) => [applicationId, e]),
    );
  }
}
