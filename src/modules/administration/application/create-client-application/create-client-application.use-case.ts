import { Injectable } from '@nestjs/common';
import { hashSecret } from '../../../../platform/security/secret-hasher';
import type { CallbackFormat } from '../../domain/configuration';
import { newClientId, newClientSecret } from '../../domain/credentials';
import { ClientApplicationSettingsRepository } from '../client-application-settings.repository';
import type { ClientApplicationWithSecret } from '../client-credentials';
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

/** Generates the client secret, stores only its scrypt hash, and answers it this once. */
@Injectable()
export class CreateClientApplication {
  constructor(
    private readonly applications: ClientApplicationSettingsRepository,
    private readonly entryPoints: EntryPointRepository,
    private readonly change: ConfigurationChange,
  ) {}

  async execute(command: CreateClientApplicationCommand): Promise<ClientApplicationWithSecret> {
    const clientSecret = newClientSecret();
    const secretHash = await hashSecret(clientSecret);
    const application = await this.change.apply(async () => {
      for (const id of command.entryPointIds) referenced(await this.entryPoints.byId(id), 'entry point', id, 'entryPointIds');
      const id = await this.applications.create({
        name: command.name,
        type: command.type,
        clientId: command.clientId ?? newClientId(),
        secretHash,
        entryPointIds: [...new Set(command.entryPointIds)],
        callbackUrl: command.callbackUrl ?? null,
        callbackFormat: command.callbackFormat ?? 'json',
      });
      return found(await this.applications.byId(id), 'client application', id);
    });
    return { ...application, clientSecret };
  }
}
