import { Module } from '@nestjs/common';
import { UserDirectoryModule } from '../user-account';
import { SECRET_BOX_PROVIDER } from '../../platform/security/secret-box.provider';
import { CallbackSender } from './application/callback-sender';
import { CallbackSettingsRepository } from './application/callback-settings.repository';
import { DeliverPendingEvents } from './application/deliver-pending-events/deliver-pending-events.use-case';
import { DeliveryScheduler } from './application/delivery-scheduler';
import { DeliveryLease, DeliveryRepository } from './application/delivery.repository';
import { BullDeliveryScheduler } from './infrastructure/bull-delivery-scheduler';
import { DeliverySweeper } from './infrastructure/delivery-sweeper';
import { HttpCallbackSender } from './infrastructure/http-callback-sender';
import { MysqlCallbackSettingsRepository } from './infrastructure/mysql-callback-settings.repository';
import { MysqlDeliveryLease } from './infrastructure/mysql-delivery-lease';
import { MysqlDeliveryRepository } from './infrastructure/mysql-delivery.repository';
import { OAuth2TokenCache } from './infrastructure/oauth2-token-cache';
import { WebhookProcessor } from './infrastructure/webhook.processor';

/** The worker side: delivery of the webhook queue, retries, the sweeper. Imported by the worker process only. */
@Module({
  imports: [UserDirectoryModule],
  providers: [
    DeliverPendingEvents,
    WebhookProcessor,
    DeliverySweeper,
    OAuth2TokenCache,
    { provide: CallbackSender, useClass: HttpCallbackSender },
    { provide: DeliveryScheduler, useClass: BullDeliveryScheduler },
    { provide: CallbackSettingsRepository, useClass: MysqlCallbackSettingsRepository },
    SECRET_BOX_PROVIDER,
    { provide: DeliveryRepository, useClass: MysqlDeliveryRepository },
    { provide: DeliveryLease, useClass: MysqlDeliveryLease },
  ],
})
export class WebhookWorkerModule {}
