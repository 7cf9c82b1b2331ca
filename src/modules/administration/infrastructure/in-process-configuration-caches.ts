import { Injectable } from '@nestjs/common';
import { PlatformSettings } from '../../../platform/settings/settings';
import { ClientApplicationDirectory } from '../../client-application';
import { UserDirectory } from '../../user-account';
import { ConfigurationCaches } from '../application/configuration-caches';

/** The caches of this process that hold configuration: entry points and applications, settings and attribute definitions, agents' display names. */
@Injectable()
export class InProcessConfigurationCaches extends ConfigurationCaches {
  constructor(private readonly directory: ClientApplicationDirectory, private readonly settings: PlatformSettings, private readonly users: UserDirectory) {
    super();
  }

  invalidate(): void {
    this.directory.invalidate();
    this.settings.invalidate();
    this.users.invalidate();
  }
}
