import { Global, Module } from '@nestjs/common';
import { MysqlOutbox } from './mysql-outbox';
import { Outbox } from './outbox';
import { QueueDispatcher } from './queue-dispatcher';

@Global()
@Module({
  providers: [QueueDispatcher, { provide: Outbox, useClass: MysqlOutbox }],
  exports: [Outbox, QueueDispatcher],
})
export class OutboxModule {}
