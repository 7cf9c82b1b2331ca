import { Injectable } from '@nestjs/common';
import { RotateSigningSecret, type RotatedSecret } from '../../../webhook';
import type { ClientApplicationSettings } from '../../domain/configuration';
import { ClientApplicationSettingsRepository } from '../client-application-settings.repository';
import { applicationAtVersion } from '../application-at-version';
import { ConfigurationChange } from '../configuration-change';
import { found } from '../found';
import type { ExpectedVersion } from '../resource-version';

/**
 * A new callback signing secret, answered once, through the webhook module's rotation (the
 * replaced secret keeps signing for `keepPreviousSeconds`). With If-Match, only while the
 * application is still at the version read: the signing secret's last change is part of it, so
 * of two administrators rotating the same signing secret at once, the second is refused instead
 * of silently replacing the secret the first has just been handed.
 */
@Injectable()
export class RotateCallbackSigningSecret {
  constructor(
    private readonly applications: ClientApplicationSettingsRepository,
    private readonly rotate: RotateSigningSecret,
    private readonly change: ConfigurationChange,
  ) {}

  execute(id: string, keepPreviousSeconds: number | undefined, expected?: ExpectedVersion): Promise<{ application: ClientApplicationSettings; rotated: RotatedSecret }> {
    return this.change.apply(async () => {
      await applicationAtVersion(this.applications, id, expected);
      const rotated = await this.rotate.execute(id, keepPreviousSeconds);
      return { application: found(await this.applications.byId(id), 'client application', id), rotated };
    });
  }
}
