import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppConfig } from '../../../../platform/config/app-config';
import { UnreadableSecret } from '../../domain/callback-settings';
import { generateSigningSecret } from '../../domain/signing';
import { CallbackSettingsRepository } from '../callback-settings.repository';
import { ClientApplicationNotFound } from '../callback-view';

export interface RotatedSecret {
  /** Shown in this answer only. */
  value: string;
  /** Until when the replaced secret still signs beside the new one; absent when it stopped at once. */
  previousValidUntil?: Date;
}

/**
 * Replaces the signing secret and returns the new one; this answer is the only place it
 * is ever shown. Requests sent from now on are signed with it and, for
 * `keepPreviousSeconds` (by default WEBHOOK_SECRET_OVERLAP_SECONDS), with the secret it
 * replaced too, so that a receiver can move to the new secret without refusing requests.
 * A replaced secret no configured key opens is dropped instead: it could sign nothing, and
 * kept it would hold every request back until its overlap ended.
 */
@Injectable()
export class RotateSigningSecret {
  private readonly logger = new Logger('Webhook');

  constructor(
    private readonly settings: CallbackSettingsRepository,
    private readonly config: AppConfig,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  execute(clientApplicationId: string, keepPreviousSeconds = this.config.WEBHOOK_SECRET_OVERLAP_SECONDS): Promise<RotatedSecret> {
    return this.txHost.withTransaction(async () => {
      const current = await this.settings.find(clientApplicationId, { lock: true });
      if (!current) throw new ClientApplicationNotFound(clientApplicationId);
      const dropped = current.signingSecret instanceof UnreadableSecret;
      if (dropped) this.logger.warn({ clientApplicationId, secret: 'signing' }, 'unreadable signing secret replaced without overlap');
      const value = generateSigningSecret();
      await this.settings.setSigningSecret(clientApplicationId, value, dropped ? 0 : keepPreviousSeconds);
      const previous = (await this.settings.find(clientApplicationId))?.previousSigningSecret;
      return { value, ...(previous ? { previousValidUntil: previous.validUntil } : {}) };
    });
  }
}
