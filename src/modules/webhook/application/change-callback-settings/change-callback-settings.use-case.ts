import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClientApplicationDirectory } from '../../../client-application';
import { generateSigningSecret } from '../../domain/signing';
import { CallbackSettingsRepository } from '../callback-settings.repository';
import { ClientApplicationNotFound, type CallbackView } from '../callback-view';
import { DeliveryKick } from '../delivery-kick';
import { DeliveryLease } from '../delivery.repository';
import { ReadCallbackSettings } from '../read-callback-settings/read-callback-settings.use-case';
import type { ChangeCallbackSettingsCommand } from './change-callback-settings.command';

export interface ChangedCallbackSettings {
  view: CallbackView;
  /** Set only when this change created the application's first signing secret: shown once. */
  signingSecret?: string;
}

/**
 * Replaces an application's callback settings. The first time a URL is set a signing
 * secret is generated and returned, once. The failure count starts again from zero and
 * a waiting retry is forgotten, so a fixed URL gets what is pending at once.
 */
@Injectable()
export class ChangeCallbackSettings {
  constructor(
    private readonly settings: CallbackSettingsRepository,
    private readonly lease: DeliveryLease,
    private readonly kick: DeliveryKick,
    private readonly read: ReadCallbackSettings,
    private readonly directory: ClientApplicationDirectory,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  async execute(clientApplicationId: string, command: ChangeCallbackSettingsCommand, correlationId: string): Promise<ChangedCallbackSettings> {
    const { signingSecret, wake } = await this.txHost.withTransaction(async () => {
      const current = await this.settings.find(clientApplicationId, { lock: true });
      if (!current) throw new ClientApplicationNotFound(clientApplicationId);
      await this.settings.update(clientApplicationId, { url: command.url, format: command.format, authentication: command.authentication(current.authentication) });
      let secret: string | undefined;
      if (current.signingSecret === null && command.url !== null) {
        secret = generateSigningSecret();
        await this.settings.setSigningSecret(clientApplicationId, secret);
      }
      await this.lease.clearRetry(clientApplicationId);
      return { signingSecret: secret, wake: await this.kick.add(clientApplicationId, correlationId) };
    });
    this.kick.dispatch(wake);
    this.directory.applicationChanged(clientApplicationId);
    return { view: await this.read.execute(clientApplicationId), ...(signingSecret ? { signingSecret } : {}) };
  }
}
