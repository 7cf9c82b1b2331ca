import { Injectable } from '@nestjs/common';
import { CallbackReactivation, ReadCallbackSettings } from '../../../webhook';
import { ClientApplicationSettingsRepository } from '../client-application-settings.repository';
import { applicationAtVersion } from '../application-at-version';
import { ConfigurationChange } from '../configuration-change';
import { found } from '../found';
import type { ExpectedVersion } from '../resource-version';
import type { ApplicationCallback } from '../read-application-callback/read-application-callback.use-case';

/**
 * Makes an application's deactivated callback URL active again through the webhook module's
 * CallbackReactivation. With If-Match, only while the application is still at the version read:
 * the callback's state is part of it, so a reactivation decided on a callback that has changed
 * since it was read (another URL set, the application changed) is refused instead of made.
 */
@Injectable()
export class ReactivateApplicationCallback {
  constructor(
    private readonly applications: ClientApplicationSettingsRepository,
    private readonly reactivation: CallbackReactivation,
    private readonly read: ReadCallbackSettings,
    private readonly change: ConfigurationChange,
  ) {}

  async execute(id: string, correlationId: string, expected?: ExpectedVersion): Promise<ApplicationCallback> {
    const { application, applied } = await this.change.apply(async () => {
      await applicationAtVersion(this.applications, id, expected);
      const applied = await this.reactivation.apply(id, 'administrator', correlationId);
      return { application: found(await this.applications.byId(id), 'client application', id), applied };
    });
    applied.afterCommit();
    return { application, callback: await this.read.execute(id) };
  }
}
