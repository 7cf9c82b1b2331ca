import { Injectable } from '@nestjs/common';
import type { ClientApplicationSettings } from '../../domain/configuration';
import { ClientApplicationSettingsRepository } from '../client-application-settings.repository';

@Injectable()
export class ListClientApplications {
  constructor(private readonly applications: ClientApplicationSettingsRepository) {}

  execute(): Promise<ClientApplicationSettings[]> {
    return this.applications.list();
  }
}
