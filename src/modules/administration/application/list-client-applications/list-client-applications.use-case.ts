import { Injectable } from '@nestjs/common';
import type { ClientApplicationSettings } from '../../domain/configuration';
import { ClientApplicationSettingsRepository } from '../client-application-settings.repository';
import type { ListPage, ListPageOf } from '../../domain/list-page';

@Injectable()
export class ListClientApplications {
  constructor(private readonly applications: ClientApplicationSettingsRepository) {}

  execute(page: ListPage): Promise<ListPageOf<ClientApplicationSettings>> {
    return this.applications.list(page);
  }
}
