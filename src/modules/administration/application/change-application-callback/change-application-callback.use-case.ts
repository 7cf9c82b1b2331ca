import { Injectable } from '@nestjs/common';
import { ChangeCallbackSettings, ReadCallbackSettings, type CallbackView, type ChangeCallbackSettingsCommand } from '../../../webhook';
import type { ClientApplicationSettings } from '../../domain/configuration';
import { ClientApplicationSettingsRepository } from '../client-application-settings.repository';
import { applicationAtVersion } from '../application-at-version';
import { ConfigurationChange } from '../configuration-change';
import { found } from '../found';
import type { ExpectedVersion } from '../resource-version';

export interface ChangedApplicationCallback {
  /** The application after the change, for its version (ETag). */
  application: ClientApplicationSettings;
  /** The callback settings as stored, secrets masked. */
  callback: CallbackView;
  /** Set only when this change created the application's first signing secret: shown once. */
  signingSecret?: string;
}

/**
 * Replaces an application's callback settings through the webhook module's
 * ChangeCallbackSettings. With If-Match, only while the application is still at the version
 * read: the callback's URL, format, state and when its settings and signing secret were last set
 * are part of it, so of two administrators changing the callback at once (a password each, say),
 * the second is refused instead of silently replacing what the first has just set, or being
 * handed a signing secret the first has already been handed.
 */
@Injectable()
export class ChangeApplicationCallback {
  constructor(
    private readonly applications: ClientApplicationSettingsRepository,
    private readonly settings: ChangeCallbackSettings,
    private readonly read: ReadCallbackSettings,
    private readonly change: ConfigurationChange,
  ) {}

  async execute(id: string, command: ChangeCallbackSettingsCommand, correlationId: string, expected?: ExpectedVersion): Promise<ChangedApplicationCallback> {
    const { application, changed } = await this.change.apply(async () => {
      await applicationAtVersion(this.applications, id, expected);
      const changed = await this.settings.execute(id, command, correlationId);
      return { application: found(await this.applications.byId(id), 'client application', id), changed };
    });
    changed.afterCommit();
    return { application, callback: await this.read.execute(id), ...(changed.signingSecret ? { signingSecret: changed.signingSecret } : {}) };
  }
}
