import { Module } from '@nestjs/common';
import { ClientApplicationModule } from '../client-application';
import { UserAccountModule } from '../user-account';
import { SECRET_BOX_PROVIDER } from '../../platform/security/secret-box.provider';
import { CallbackChange } from './application/callback-change';
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
import { CallbackAdministrationController } from './interface/callback-administration.controller';
import { CallbackSelfServiceController } from './interface/callback-self-service.controller';

/**
 * The api side: callback settings for administrators, reactivation for client applications.
 * Exports ChangeCallbackUrl, so that another API that sets an application's callback URL
 * goes through the same rules (signing secret, pending events) as the settings API, and
 * ChangeCallbackSettings, RotateSigningSecret and ReadCallbackSettings, which the administration
 * API's callback changes run under the application's version check (If-Match).
 */
@Module({
  imports: [ClientApplicationModule, UserAccountModule],
  controllers: [CallbackAdministrationController, CallbackSelfServiceController],
  providers: [
    ReadCallbackSettings,
    CallbackChange,
    ChangeCallbackSettings,
    ChangeCallbackUrl,
    RotateSigningSecret,
    ReactivateCallback,
    DeliveryKick,
    { provide: CallbackSettingsRepository, useClass: MysqlCallbackSettingsRepository },
    SECRET_BOX_PROVIDER,
    { provide: DeliveryRepository, useClass: MysqlDeliveryRepository },
    { provide: DeliveryLease, useClass: MysqlDeliveryLease },
  ],
  exports: [ChangeCallbackUrl, ChangeCallbackSettings, RotateSigningSecret, ReadCallbackSettings],
})
export class WebhookModule {}
