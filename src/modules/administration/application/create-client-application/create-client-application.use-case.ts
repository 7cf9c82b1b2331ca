import { Injectable } from '@nestjs/common';
import { hashSecret } from '../../../../platform/security/secret-hasher';
import { ChangeCallbackUrl } from '../../../webhook';
import type { CallbackFormat } from '../../domain/configuration';
import { newClientId, newClientSecret } from '../../domain/credentials';
import { ClientApplicationSettingsRepository } from '../client-application-settings.repository';
import type { ClientApplicationWithSecret, WithCallbackSigningSecret } from '../client-credentials';
import { ConfigurationChange } from '../configuration-change';
import { EntryPointRepository } from '../entry-point.repository';
import { found, referenced } from '../found';

export interface CreateClientApplicationCommand {
  name: string;
  type: string;
  /** Chosen by the administrator, or generated. */
  clientId?: string;
  entryPointIds: string[];
  callbackUrl?: string | null;
  callbackFormat?: CallbackFormat;
}

/**
 * Generates the client secret, stores only its scrypt hash, and answers it this once. A
 * callback URL is set through the webhook module, as its settings API would: the signing
 * secret it generates is answered this once too.
 */
@Injectable()
export class CreateClientApplication {
  constructor(
    private readonly applications: ClientApplicationSettingsRepository,
    private readonly entryPoints: EntryPointRepository,
    private readonly callbackUrl: ChangeCallbackUrl,
    private readonly change: ConfigurationChange,
  ) {}

  async execute(command: CreateClientApplicationCommand, correlationId: string): Promise<ClientApplicationWithSecret & WithCallbackSigningSecret> {
    const clientSecret = newClientSecret();
    const secretHash = await hashSecret(clientSecret);
    const { application, callback } = await this.change.apply(async () => {
      for (const id of command.entryPointIds) referenced(await this.entryPoints.byId(id), 'entry point', id, 'entryPointIds');
      const id = await this.applications.create({
        name: command.name,
        type: command.type,
        clientId: command.clientId ?? newClientId(),
        secretHash,
        entryPointIds: [...new Set(command.entryPointIds)],
      });
      const callback = await this.callbackUrl.execute(id, { callbackUrl: command.callbackUrl ?? undefined, callbackFormat: command.callbackFormat }, correlationId);
      return { application: found(await this.applications.byId(id), 'client application', id), callback };
    });
    callback.afterCommit();
    return { ...application, clientSecret, ...(callback.signingSecret ? { callbackSigningSecret: callback.signingSecret } : {}) };
  }
}
