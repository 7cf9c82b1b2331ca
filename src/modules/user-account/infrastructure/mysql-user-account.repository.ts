import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { UserAccountRepository } from '../application/user-account.repository';
import type { UserRole } from '../domain/user-account';

@Injectable()
export class MysqlUserAccountRepository extends UserAccountRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  async credentials(username: string, role: UserRole): Promise<{ userId: string; passwordHash: string } | undefined> {
    const rows: { id: string; password_hash: string }[] = await this.txHost.tx.query(
      'SELECT id, password_hash FROM user_account WHERE username = ? AND role = ?',
      [username, role],
    );
    return rows.length === 0 ? undefined : { userId: String(rows[0].id), passwordHash: rows[0].password_hash };
  }

  async lockForLogin(userId: string): Promise<string | undefined> {
    const rows: { password_hash: string }[] = await this.txHost.tx.query('SELECT password_hash FROM user_account WHERE id = ? FOR UPDATE', [userId]);
    return rows[0]?.password_hash;
  }

  async displayNames(userIds: string[]): Promise<Map<string, string>> {
    const ids = userIds.filter((id) => /^\d{1,19}$/.test(id));
    if (ids.length === 0) return new Map();
    const rows: { id: string; display_name: string }[] = await this.txHost.tx.query(
      `SELECT id, display_name FROM user_account WHERE id IN (${ids.map(() => '?').join(',')})`,
      ids,
    );
    return new Map(rows.map((r) => [String(r.id), r.display_name]));
  }
}
