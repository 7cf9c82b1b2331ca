import { Injectable } from '@nestjs/common';
import { ClientApplicationDirectory } from '../../../client-application';
import { ChangeCallbackUrl } from '../../../webhook';
import type { CallbackFormat, ClientApplicationSettings } from '../../domain/configuration';
import { ClientApplicationSettingsRepository, type ClientApplicationChanges } from '../client-application-settings.repository';
import type { WithCallbackSigningSecret } from '../client-credentials';
import { applicationAtVersion } from '../application-at-version';
import { ConfigurationChange } from '../configuration-change';
import { EntryPointRepository } from '../entry-point.repository';
import { found, referenced } from '../found';
import type { ExpectedVersion } from '../resource-version';

export interface UpdateClientApplicationCommand extends ClientApplicationChanges {
  /** `null` clears it. */
  callbackUrl?: string | null;
  callbackFormat?: CallbackFormat;
}

/**
 * Name, type, entry points (replaced as a whole) and callback URL and format; the secret has
 * its own use case. The callback changes through the webhook module, exactly as through its
 * settings API, in the same transaction as the rest. Once committed, the change is announced
 * to every api process, like a callback change: an entry point taken away or a type other than
 * chat must stop the application's requests everywhere at once, not after CONFIG_CACHE_TTL_MS.
 */
@Injectable()
export class UpdateClientApplication {
  constructor(
    private readonly applications: ClientApplicationSettingsRepository,
    private readonly entryPoints: EntryPointRepository,
    private readonly callbackUrl: ChangeCallbackUrl,
    private readonly change: ConfigurationChange,
    private readonly directory: ClientApplicationDirectory,
  ) {}

  async execute(id: string, command: UpdateClientApplicationCommand, correlationId: string, expected?: ExpectedVersion): Promise<ClientApplicationSettings & WithCallbackSigningSecret> {
    const { callbackUrl, callbackFormat, ...changes } = command;
    const { application, callback } = await this.change.apply(async () => {
      await applicationAtVersion(this.applications, id, expected);
      for (const entryPointId of changes.entryPointIds ?? []) referenced(await this.entryPoints.byId(entryPointId), 'entry point', entryPointId, 'entryPointIds');
      await this.applications.update(id, { ...changes, entryPointIds: changes.entryPointIds && [...new Set(changes.entryPointIds)] });
      const callback = await this.callbackUrl.execute(id, { callbackUrl, callbackFormat }, correlationId);
      return { application: found(await this.applications.byId(id), 'client application', id), callback };
    });
    callback.afterCommit();
    this.directory.applicationChanged(id);
    return { ...application, ...(callback.signingSecret ? { callbackSigningSecret: callback.signingSecret } : {}) };
  }
}
