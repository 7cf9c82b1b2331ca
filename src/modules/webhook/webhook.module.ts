import { Module } from '@nestjs/common';
import { ClientApplicationModule } from '../client-application';
import { UserAccountModule } from '../user-account';
import { SECRET_BOX_PROVIDER } from '../../platform/security/secret-box.provider';
import { CallbackChange } from './application/callback-change';
import { CallbackReactivation } from './application/callback-reactivation';
import { CallbackSettingsRepository } from './application/callback-settings.repository';
import { ChangeCallbackUrl } from './application/change-callback-url/change-callback-url.use-case';
import { ChangeCallbackSettings } from './application/change-callback-settings/change-callback-settings.use-case';
import { DeliveryKick } from './application/delivery-kick';
import { DeliveryLease, DeliveryRepository } from './application/delivery.repository';
import { ReactivateCallback } from './application/reactivate-callback/reactivate-callback.use-case';
import { ReadCallbackSettings } from './application/read-callback-settings/read-callback-settings.use-case';
import { RotateSigningSecret } from './application/rotate-signing-secret/rotate-signing-secret.use-case';
import { MysqlCallbackSettingsRepository } from './infrastructure/mysql-callback-settings.repository';
import { MysqlDeliveryLease } from './infrastructure/mysql-delivery-lease';
import { MysqlDeliveryRepository } from './infrastructure/mysql-delivery.repository';
import { CallbackSelfServiceController } from './interface/callback-self-service.controller';

/**
 * The api side: a client application's own callback, reading and reactivation. Exports
 * ChangeCallbackUrl, so that another API that sets an application's callback URL goes through
 * the same rules (signing secret, pending events) as the settings API, and ChangeCallbackSettings,
 * RotateSigningSecret, CallbackReactivation and ReadCallbackSettings, which the administration
 * API's callback routes run under the application's version (ETag, If-Match).
 */
@Module({
  imports: [ClientApplicationModule, UserAccountModule],
  controllers: [CallbackSelfServiceController],
  providers: [
    ReadCallbackSettings,
    CallbackChange,
    ChangeCallbackSettings,
    ChangeCallbackUrl,
    RotateSigningSecret,
    CallbackReactivation,
    ReactivateCallback,
    DeliveryKick,
    { provide: CallbackSettingsRepository, useClass: MysqlCallbackSettingsRepository },
    SECRET_BOX_PROVIDER,
    { provide: DeliveryRepository, useClass: MysqlDeliveryRepository },
    { provide: DeliveryLease, useClass: MysqlDeliveryLease },
  ],
  exports: [ChangeCallbackUrl, ChangeCallbackSettings, RotateSigningSecret, CallbackReactivation, ReadCallbackSettings],
})
export class WebhookModule {}
