import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { randomUUID } from 'node:crypto';
import { DeliveryLease } from '../application/delivery.repository';

/** One webhook_dispatch row per application, created on first claim; times are the database's. */
@Injectable()
export class MysqlDeliveryLease extends DeliveryLease {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  async claim(clientApplicationId: string, leaseMs: number): Promise<string | undefined> {
    const token = randomUUID();
    if (await this.tryClaim(clientApplicationId, token, leaseMs)) return token;
    const inserted: { affectedRows: number } = await this.txHost.tx.query('INSERT IGNORE INTO webhook_dispatch (client_application_id) VALUES (?)', [clientApplicationId]);
    if (inserted.affectedRows === 1 && (await this.tryClaim(clientApplicationId, token, leaseMs))) return token;
    return undefined;
  }

  private async tryClaim(clientApplicationId: string, token: string, leaseMs: number): Promise<boolean> {
    const result: { affectedRows: number } = await this.txHost.tx.query(
      `UPDATE webhook_dispatch SET lease_token = ?, lease_until = NOW(3) + INTERVAL ? MICROSECOND
        WHERE client_application_id = ? AND (lease_until IS NULL OR lease_until < NOW(3)) AND (retry_at IS NULL OR retry_at <= NOW(3))`,
      [token, leaseMs * 1000, clientApplicationId],
    );
    return result.affectedRows === 1;
  }

  async extend(clientApplicationId: string, token: string, leaseMs: number): Promise<boolean> {
    const result: { affectedRows: number } = await this.txHost.tx.query(
      'UPDATE webhook_dispatch SET lease_until = NOW(3) + INTERVAL ? MICROSECOND WHERE client_application_id = ? AND lease_token = ?',
      [leaseMs * 1000, clientApplicationId, token],
    );
    return result.affectedRows === 1;
  }

  async release(clientApplicationId: string, token: string, retryInMs?: number): Promise<void> {
    await this.txHost.tx.query(
      `UPDATE webhook_dispatch SET lease_token = NULL, lease_until = NULL,
              retry_at = IF(? IS NULL, NULL, NOW(3) + INTERVAL ? MICROSECOND)
        WHERE client_application_id = ? AND lease_token = ?`,
      [retryInMs ?? null, (retryInMs ?? 0) * 1000, clientApplicationId, token],
    );
  }

  async clearRetry(clientApplicationId: string): Promise<void> {
    await this.txHost.tx.query('UPDATE webhook_dispatch SET retry_at = NULL WHERE client_application_id = ?', [clientApplicationId]);
  }
}
