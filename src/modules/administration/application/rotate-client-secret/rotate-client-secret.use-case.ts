import { Injectable } from '@nestjs/common';
import { hashSecret } from '../../../../platform/security/secret-hasher';
import { SessionStore } from '../../../../platform/session/session';
import { newClientSecret } from '../../domain/credentials';
import { ClientApplicationSettingsRepository } from '../client-application-settings.repository';
import type { ClientApplicationWithSecret } from '../client-credentials';
import { applicationAtVersion } from '../application-at-version';
import { ConfigurationChange } from '../configuration-change';
import { found } from '../found';
import type { ExpectedVersion } from '../resource-version';

/**
 * A new secret, answered once; the old one stops working at once, and so do the
 * application's live sessions (a rotation is usually a response to a leak). With If-Match, only
 * while the application is still at the version read: the secret's last change is part of it, so
 * of two administrators rotating the same secret at once, the second is refused instead of
 * silently replacing the secret the first has just been handed.
 */
@Injectable()
export class RotateClientSecret {
  constructor(
    private readonly applications: ClientApplicationSettingsRepository,
    private readonly sessions: SessionStore,
    private readonly change: ConfigurationChange,
  ) {}

  async execute(id: string, expected?: ExpectedVersion): Promise<ClientApplicationWithSecret> {
    const clientSecret = newClientSecret();
    const secretHash = await hashSecret(clientSecret);
    const application = await this.change.apply(async () => {
      await applicationAtVersion(this.applications, id, expected);
      await this.applications.replaceSecret(id, secretHash);
      await this.sessions.endOldest('client_application', id, 0);
      return found(await this.applications.byId(id), 'client application', id);
    });
    return { ...application, clientSecret };
  }
}
