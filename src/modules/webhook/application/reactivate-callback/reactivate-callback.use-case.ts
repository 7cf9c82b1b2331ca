import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { CallbackReactivation } from '../callback-reactivation';
import type { CallbackView } from '../callback-view';
import { ReadCallbackSettings } from '../read-callback-settings/read-callback-settings.use-case';

/**
 * Makes a deactivated callback URL active again (a no-op on an active one, apart from
 * forgetting a waiting retry) through CallbackReactivation, in a transaction of its own: starts
 * are accepted again at once in every api process, and the events held while it was deactivated
 * are delivered, in order. The administration API's reactivation runs CallbackReactivation in its
 * own transaction instead, under the application's version check (If-Match).
 */
@Injectable()
export class ReactivateCallback {
  constructor(
    private readonly reactivation: CallbackReactivation,
    private readonly read: ReadCallbackSettings,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  async execute(clientApplicationId: string, by: 'administrator' | 'client application', correlationId: string): Promise<CallbackView> {
    const applied = await this.txHost.withTransaction(() => this.reactivation.apply(clientApplicationId, by, correlationId));
    applied.afterCommit();
    return this.read.execute(clientApplicationId);
  }
}
