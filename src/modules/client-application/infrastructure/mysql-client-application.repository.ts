import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClientApplicationRepository, type StoredCredentials } from '../application/client-application.repository';
import type { ClientApplication, ClientApplicationType, CallbackState, EntryPoint } from '../domain/client-application';

@Injectable()
export class MysqlClientApplicationRepository extends ClientApplicationRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  async credentials(clientKey: string): Promise<StoredCredentials | undefined> {
    const rows: { id: string; secret_hash: string }[] = await this.txHost.tx.query('SELECT id, secret_hash FROM client_application WHERE client_id = ?', [clientKey]);
    return rows.length === 0 ? undefined : { clientApplicationId: String(rows[0].id), secretHash: rows[0].secret_hash };
  }

  async byId(id: string): Promise<ClientApplication | undefined> {
    const rows: { id: string; name: string; type: ClientApplicationType; callback_state: CallbackState; has_callback_url: number; entry_point_id: string | null }[] = await this.txHost.tx.query(
      `SELECT ca.id, ca.name, ca.type, ca.callback_state, ca.callback_url IS NOT NULL AS has_callback_url, caep.entry_point_id
         FROM client_application ca LEFT JOIN client_application_entry_point caep ON caep.client_application_id = ca.id
        WHERE ca.id = ?`,
      [id],
    );
    if (rows.length === 0) return undefined;
    return {
      id: String(rows[0].id),
      name: rows[0].name,
      type: rows[0].type,
      callbackState: rows[0].callback_state,
      hasCallbackUrl: Number(rows[0].has_callback_url) === 1,
      entryPointIds: new Set(rows.filter((r) => r.entry_point_id !== null).map((r) => String(r.entry_point_id))),
    };
  }

  async entryPoint(id: string): Promise<EntryPoint | undefined> {
    if (!/^\d{1,19}$/.test(id)) return undefined;
    const rows: { id: string; name: string; department_id: string; queue_id: string; active: number; last_modified: Date }[] = await this.txHost.tx.query(
      'SELECT id, name, department_id, queue_id, active, last_modified FROM entry_point WHERE id = ?',
      [id],
    );
    if (rows.length === 0) return undefined;
    const r = rows[0];
    return { id: String(r.id), name: r.name, departmentId: String(r.department_id), queueId: String(r.queue_id), active: Number(r.active) === 1, lastModified: new Date(r.last_modified) };
  }

  async lockForLogin(id: string): Promise<string | undefined> {
    const rows: { secret_hash: string }[] = await this.txHost.tx.query('SELECT secret_hash FROM client_application WHERE id = ? FOR UPDATE', [id]);
    return rows[0]?.secret_hash;
  }
}
