import { Module } from '@nestjs/common';
import { AuthenticateClientApplication } from './application/authenticate-client-application/authenticate-client-application.use-case';
import { ClientApplicationDirectory } from './application/client-application.directory';
import { ClientApplicationRepository } from './application/client-application.repository';
import { EndSession } from './application/end-session/end-session.use-case';
import { ReadEntryPointConfiguration } from './application/read-entry-point-configuration/read-entry-point-configuration.use-case';
import { MysqlClientApplicationRepository } from './infrastructure/mysql-client-application.repository';
import { AuthenticationController } from './interface/authentication.controller';
import { ClientApplicationGuard } from './interface/client-application.guard';
import { ConfigurationController } from './interface/configuration.controller';

@Module({
  controllers: [AuthenticationController, ConfigurationController],
  providers: [
    AuthenticateClientApplication,
    EndSession,
    ReadEntryPointConfiguration,
    ClientApplicationDirectory,
    ClientApplicationGuard,
    { provide: ClientApplicationRepository, useClass: MysqlClientApplicationRepository },
  ],
  exports: [ClientApplicationDirectory, ClientApplicationGuard],
})
export class ClientApplicationModule {}
