import { Global, Module } from '@nestjs/common';
import { MysqlOutbox } from './mysql-outbox';
import { Outbox } from './outbox';
import { QueueConnectionsLog } from '../queue/queue-connections-log';
import { QueueShutdown } from '../queue/queue-shutdown';
import { QueueDispatcher } from './queue-dispatcher';

@Global()
@Module({
  providers: [QueueDispatcher, QueueShutdown, QueueConnectionsLog, { provide: Outbox, useClass: MysqlOutbox }],
  exports: [Outbox, QueueDispatcher, QueueShutdown],
})
export class OutboxModule {}
