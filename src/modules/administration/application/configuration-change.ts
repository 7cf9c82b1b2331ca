import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { retryOnConflict } from '../../../platform/database/transaction-retry';
import { ConfigurationCaches } from './configuration-caches';

/**
 * Every configuration change runs in one transaction and, once committed, drops this
 * process's configuration caches, so the next request here sees it; other api and worker
 * processes see it within CONFIG_CACHE_TTL_MS. A transaction the database chose as a
 * deadlock victim runs again from the start: replacing an agent's queues or an application's
 * entry points (DELETE, then INSERT) takes gap locks that can deadlock with a concurrent
 * replacement for a neighbouring id, and a concurrent valid request must not end in a 500.
 * `change` may therefore run more than once and must only write through the transaction.
 */
@Injectable()
export class ConfigurationChange {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>, private readonly caches: ConfigurationCaches) {}

  async apply<T>(change: () => Promise<T>): Promise<T> {
    const result = await retryOnConflict(() => this.txHost.withTransaction(change));
    this.caches.invalidate();
    return result;
  }
}
