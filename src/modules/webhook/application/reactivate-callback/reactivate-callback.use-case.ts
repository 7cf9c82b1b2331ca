import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClientApplicationDirectory } from '../../../client-application';
import { CallbackSettingsRepository } from '../callback-settings.repository';
import { ClientApplicationNotFound, type CallbackView } from '../callback-view';
import { DeliveryKick } from '../delivery-kick';
import { DeliveryLease } from '../delivery.repository';
import { ReadCallbackSettings } from '../read-callback-settings/read-callback-settings.use-case';

/**
 * Makes a deactivated callback URL active again (a no-op on an active one, apart from
 * forgetting a waiting retry): starts are accepted again at once in every api process,
 * and the events held while it was deactivated are delivered, in order.
 */
@Injectable()
export class ReactivateCallback {
  private readonly logger = new Logger('Webhook');

  constructor(
    private readonly settings: CallbackSettingsRepository,
    private readonly lease: DeliveryLease,
    private readonly kick: DeliveryKick,
    private readonly read: ReadCallbackSettings,
    private readonly directory: ClientApplicationDirectory,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  async execute(clientApplicationId: string, by: 'administrator' | 'client application', correlationId: string): Promise<CallbackView> {
    const { wake, previous } = await this.txHost.withTransaction(async () => {
      const current = await this.settings.find(clientApplicationId, { lock: true });
      if (!current) throw new ClientApplicationNotFound(clientApplicationId);
      await this.settings.activate(clientApplicationId);
      await this.lease.clearRetry(clientApplicationId);
      return { previous: current.state, wake: await this.kick.add(clientApplicationId, correlationId) };
    });
    this.kick.dispatch(wake);
    this.directory.applicationChanged(clientApplicationId);
    if (previous !== 'active') this.logger.log({ clientApplicationId, by }, 'callback URL reactivated');
    return this.read.execute(clientApplicationId);
  }
}
