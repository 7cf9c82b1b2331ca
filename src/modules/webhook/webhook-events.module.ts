import { Module } from '@nestjs/common';
import { ClientApplicationDirectoryModule } from '../client-application';
import { CallbackOutbox } from './application/callback-outbox';
import { MysqlCallbackOutbox } from './infrastructure/mysql-callback-outbox';

/** What recording a conversation event needs from this module, in the api and the worker. */
@Module({
  imports: [ClientApplicationDirectoryModule],
  providers: [{ provide: CallbackOutbox, useClass: MysqlCallbackOutbox }],
  exports: [CallbackOutbox],
})
export class WebhookEventsModule {}
