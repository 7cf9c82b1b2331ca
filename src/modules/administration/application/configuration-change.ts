import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ConfigurationCaches } from './configuration-caches';

/**
 * Every configuration change runs in one transaction and, once committed, drops this
 * process's configuration caches, so the next request here sees it; other api and worker
 * processes see it within CONFIG_CACHE_TTL_MS.
 */
@Injectable()
export class ConfigurationChange {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>, private readonly caches: ConfigurationCaches) {}

  async apply<T>(change: () => Promise<T>): Promise<T> {
    const result = await this.txHost.withTransaction(change);
    this.caches.invalidate();
    return result;
  }
}
