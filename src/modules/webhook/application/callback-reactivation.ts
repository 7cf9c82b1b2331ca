import { Injectable, Logger } from '@nestjs/common';
import { ClientApplicationDirectory } from '../../client-application';
import { CallbackSettingsRepository } from './callback-settings.repository';
import { ClientApplicationNotFound } from './callback-view';
import { DeliveryKick } from './delivery-kick';
import { DeliveryLease } from './delivery.repository';

export interface AppliedReactivation {
  /** To call once the caller's transaction has committed: wakes delivery, tells every process. */
  afterCommit(): void;
}

/**
 * The one way a callback URL is made active again, whoever asks. In the caller's transaction,
 * with the row locked: the state active and the failure count back to zero, a waiting retry
 * forgotten, and a wake-up of delivery in the outbox, so the events held meanwhile go at once,
 * in order. `afterCommit` sends the wake-up and tells every process, so starts are accepted
 * again at once everywhere.
 */
@Injectable()
export class CallbackReactivation {
  private readonly logger = new Logger('Webhook');

  constructor(
    private readonly settings: CallbackSettingsRepository,
    private readonly lease: DeliveryLease,
    private readonly kick: DeliveryKick,
    private readonly directory: ClientApplicationDirectory,
  ) {}

  async apply(clientApplicationId: string, by: 'administrator' | 'client application', correlationId: string): Promise<AppliedReactivation> {
    const current = await this.settings.find(clientApplicationId, { lock: true });
    if (!current) throw new ClientApplicationNotFound(clientApplicationId);
    await this.settings.activate(clientApplicationId);
    await this.lease.clearRetry(clientApplicationId);
    const wake = await this.kick.add(clientApplicationId, correlationId);
    return {
      afterCommit: () => {
        this.kick.dispatch(wake);
        this.directory.applicationChanged(clientApplicationId);
        if (current.state !== 'active') this.logger.log({ clientApplicationId, by }, 'callback URL reactivated');
      },
    };
  }
}
