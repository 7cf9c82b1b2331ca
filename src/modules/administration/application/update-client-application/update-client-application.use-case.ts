import { Injectable } from '@nestjs/common';
import type { ClientApplicationSettings } from '../../domain/configuration';
import { ClientApplicationSettingsRepository, type ClientApplicationChanges } from '../client-application-settings.repository';
import { ConfigurationChange } from '../configuration-change';
import { EntryPointRepository } from '../entry-point.repository';
import { found, referenced } from '../found';

/** Name, type, entry points (replaced as a whole) and callback URL and format; the secret has its own use case. */
@Injectable()
export class UpdateClientApplication {
  constructor(
    private readonly applications: ClientApplicationSettingsRepository,
    private readonly entryPoints: EntryPointRepository,
    private readonly change: ConfigurationChange,
  ) {}

  execute(id: string, changes: ClientApplicationChanges): Promise<ClientApplicationSettings> {
    return this.change.apply(async () => {
      found(await this.applications.byId(id), 'client application', id);
      for (const entryPointId of changes.entryPointIds ?? []) referenced(await this.entryPoints.byId(entryPointId), 'entry point', entryPointId, 'entryPointIds');
      await this.applications.update(id, { ...changes, entryPointIds: changes.entryPointIds && [...new Set(changes.entryPointIds)] });
      return found(await this.applications.byId(id), 'client application', id);
    });
  }
}
