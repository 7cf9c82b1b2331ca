import { Injectable } from '@nestjs/common';
import { TtlCache } from '../../../platform/cache/ttl-cache';
import { AppConfig } from '../../../platform/config/app-config';
import type { ClientApplication, EntryPoint } from '../domain/client-application';
import { ClientApplicationRepository } from './client-application.repository';

/**
 * Read access to applications and entry points for every request: cached for
 * CONFIG_CACHE_TTL_MS, since they are read on each start and change rarely.
 */
@Injectable()
export class ClientApplicationDirectory {
  private readonly applications: TtlCache<ClientApplication | undefined>;
  private readonly entryPoints: TtlCache<EntryPoint | undefined>;

  constructor(private readonly repository: ClientApplicationRepository, config: AppConfig) {
    this.applications = new TtlCache(config.CONFIG_CACHE_TTL_MS);
    this.entryPoints = new TtlCache(config.CONFIG_CACHE_TTL_MS);
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
}
