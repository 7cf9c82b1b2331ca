import { Module } from '@nestjs/common';
import { ClientApplicationDirectory } from './application/client-application.directory';
import { ClientApplicationRepository } from './application/client-application.repository';
import { MysqlClientApplicationRepository } from './infrastructure/mysql-client-application.repository';

/**
 * The cached reading of client applications and entry points, without the HTTP side
 * (sessions, guard, controllers): what the worker needs too.
 */
@Module({
  providers: [ClientApplicationDirectory, { provide: ClientApplicationRepository, useClass: MysqlClientApplicationRepository }],
  exports: [ClientApplicationDirectory, ClientApplicationRepository],
})
export class ClientApplicationDirectoryModule {}
