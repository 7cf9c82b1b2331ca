import { Injectable } from '@nestjs/common';
import type { StoredOutboxMessage } from '../../../platform/outbox/outbox';
import { ClientApplicationDirectory } from '../../client-application';
import { sameSettings, type CallbackSettings } from '../domain/callback-settings';
import { generateSigningSecret } from '../domain/signing';
import type { CallbackSettingsChange } from './callback-settings.repository';
import { CallbackSettingsRepository } from './callback-settings.repository';
import { ClientApplicationNotFound } from './callback-view';
import { DeliveryKick } from './delivery-kick';
import { DeliveryLease } from './delivery.repository';

export interface AppliedCallbackChange {
  clientApplicationId: string;
  /** Set only when this change created the application's first signing secret: shown once. */
  signingSecret?: string;
  wake: StoredOutboxMessage;
}

/**
 * The one way an application's callback settings are written, whichever API asks. In the
 * caller's transaction, with the row locked: the settings replaced (and the time noted, when
 * they differ from the stored ones) and the failure count back to zero, a signing secret
 * generated the first time a URL is set, a waiting retry forgotten, and a wake-up of delivery
 * in the outbox, so a new or fixed URL gets what is pending at once. `afterCommit` sends the wake-up and tells every process the application
 * changed.
 */
@Injectable()
export class CallbackChange {
  constructor(
    private readonly settings: CallbackSettingsRepository,
    private readonly lease: DeliveryLease,
    private readonly kick: DeliveryKick,
    private readonly directory: ClientApplicationDirectory,
  ) {}

  async apply(clientApplicationId: string, next: (current: CallbackSettings) => CallbackSettingsChange, correlationId: string): Promise<AppliedCallbackChange> {
    const current = await this.settings.find(clientApplicationId, { lock: true });
    if (!current) throw new ClientApplicationNotFound(clientApplicationId);
    const change = next(current);
    await this.settings.update(clientApplicationId, change, { settingsChanged: !sameSettings(current, change) });
    let signingSecret: string | undefined;
    if (current.signingSecret === null && change.url !== null) {
      signingSecret = generateSigningSecret();
      await this.settings.setSigningSecret(clientApplicationId, signingSecret);
    }
    await this.lease.clearRetry(clientApplicationId);
    const wake = await this.kick.add(clientApplicationId, correlationId);
    return { clientApplicationId, wake, ...(signingSecret ? { signingSecret } : {}) };
  }

  afterCommit(applied: AppliedCallbackChange): void {
    this.kick.dispatch(applied.wake);
    this.directory.applicationChanged(applied.clientApplicationId);
  }
}
