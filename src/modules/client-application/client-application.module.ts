import { Module } from '@nestjs/common';
import { AuthenticateClientApplication } from './application/authenticate-client-application/authenticate-client-application.use-case';
import { EndSession } from './application/end-session/end-session.use-case';
import { ReadEntryPointConfiguration } from './application/read-entry-point-configuration/read-entry-point-configuration.use-case';
import { ClientApplicationDirectoryModule } from './client-application-directory.module';
import { AuthenticationController } from './interface/authentication.controller';
import { ClientApplicationGuard } from './interface/client-application.guard';
import { ConfigurationController } from './interface/configuration.controller';

@Module({
  imports: [ClientApplicationDirectoryModule],
  controllers: [AuthenticationController, ConfigurationController],
  providers: [AuthenticateClientApplication, EndSession, ReadEntryPointConfiguration, ClientApplicationGuard],
  exports: [ClientApplicationDirectoryModule, ClientApplicationGuard],
})
export class ClientApplicationModule {}
