import { Injectable } from '@nestjs/common';
import { TtlCache } from '../../../platform/cache/ttl-cache';
import { AppConfig } from '../../../platform/config/app-config';
import { UserAccountRepository } from './user-account.repository';

/** Display names of users (agents as customers and callbacks see them), cached like configuration. */
@Injectable()
export class UserDirectory {
  private readonly names: TtlCache<string | undefined>;

  constructor(private readonly repository: UserAccountRepository, config: AppConfig) {
    this.names = new TtlCache(config.CONFIG_CACHE_TTL_MS);
  }

  /** Names by user id; ids that name no user are absent from the map. */
  async displayNames(userIds: Iterable<string>): Promise<Map<string, string>> {
    const unique = [...new Set(userIds)];
    const names = new Map<string, string>();
    if (unique.length === 0) return names;
    let loaded: Promise<Map<string, string>> | undefined;
    const load = () => (loaded ??= this.repository.displayNames(unique));
    await Promise.all(unique.map(async (id) => {
      const name = await this.names.get(id, async () => (await load()).get(id));
      if (name !== undefined) names.set(id, name);
    }));
    return names;
  }

  /** Drops the names held here: an administrator changed a display name (other processes follow within CONFIG_CACHE_TTL_MS). */
  invalidate(): void {
    this.names.invalidate();
  }
}
