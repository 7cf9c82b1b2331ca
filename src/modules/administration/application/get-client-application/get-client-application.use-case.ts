import { Injectable } from '@nestjs/common';
import type { ClientApplicationSettings } from '../../domain/configuration';
import { ClientApplicationSettingsRepository } from '../client-application-settings.repository';
import { found } from '../found';

@Injectable()
export class GetClientApplication {
  constructor(private readonly applications: ClientApplicationSettingsRepository) {}

  async execute(id: string): Promise<ClientApplicationSettings> {
    return found(await this.applications.byId(id), 'client application', id);
  }
}
