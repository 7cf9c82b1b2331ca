import { Injectable } from '@nestjs/common';
import { CacheInvalidation } from '../../../platform/cache/cache-invalidation';
import { TtlCache } from '../../../platform/cache/ttl-cache';
import { AppConfig } from '../../../platform/config/app-config';
import { CLIENT_APPLICATION_CACHE_SCOPE, type ClientApplication, type EntryPoint } from '../domain/client-application';
import { ClientApplicationRepository } from './client-application.repository';

/**
 * Read access to applications and entry points for every request: cached for
 * CONFIG_CACHE_TTL_MS, since they are read on each start and change rarely. A change
 * announced by any process (e.g. a worker deactivating a callback URL) drops the entry
 * here at once, so a start does not act on a stale callback state.
 */
@Injectable()
export class ClientApplicationDirectory {
  private readonly applications: TtlCache<ClientApplication | undefined>;
  private readonly entryPoints: TtlCache<EntryPoint | undefined>;

  constructor(private readonly repository: ClientApplicationRepository, config: AppConfig, private readonly invalidation: CacheInvalidation) {
    this.applications = new TtlCache(config.CONFIG_CACHE_TTL_MS);
    this.entryPoints = new TtlCache(config.CONFIG_CACHE_TTL_MS);
    if (config.CONFIG_CACHE_TTL_MS > 0) invalidation.subscribe(CLIENT_APPLICATION_CACHE_SCOPE, (id) => this.applications.invalidate(id));
  }

  application(id: string): Promise<ClientApplication | undefined> {
    return this.applications.get(id, () => this.repository.byId(id));
  }

  entryPoint(id: string): Promise<EntryPoint | undefined> {
    return this.entryPoints.get(id, () => this.repository.entryPoint(id));
  }

  invalidate(): void {
    this.applications.invalidate();
    this.entryPoints.invalidate();
  }

  /** Call after committing a change to an application: applies here now and tells the other processes. */
  applicationChanged(id: string): void {
    this.applications.invalidate(id);
    this.invalidation.publish(CLIENT_APPLICATION_CACHE_SCOPE, id);
  }
}
