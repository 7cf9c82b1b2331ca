import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { generateSigningSecret } from '../../domain/signing';
import { CallbackSettingsRepository } from '../callback-settings.repository';
import { ClientApplicationNotFound } from '../callback-view';

/**
 * Replaces the signing secret and returns the new one; this answer is the only place it
 * is ever shown. Requests sent from now on are signed with it.
 */
@Injectable()
export class RotateSigningSecret {
  constructor(private readonly settings: CallbackSettingsRepository, private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  execute(clientApplicationId: string): Promise<string> {
    return this.txHost.withTransaction(async () => {
      if (!(await this.settings.find(clientApplicationId, { lock: true }))) throw new ClientApplicationNotFound(clientApplicationId);
      const secret = generateSigningSecret();
      await this.settings.setSigningSecret(clientApplicationId, secret);
      return secret;
    });
  }
}
