import { Module } from '@nestjs/common';
import { AuthenticateUser } from './application/authenticate-user/authenticate-user.use-case';
import { EndUserSession } from './application/end-user-session/end-user-session.use-case';
import { UserAccountRepository } from './application/user-account.repository';
import { VerifyUserCredentials } from './application/verify-user-credentials/verify-user-credentials.use-case';
import { UserSessionEvents } from './application/user-session-events';
import { MysqlUserAccountRepository } from './infrastructure/mysql-user-account.repository';
import { AdministratorGuard, AgentGuard } from './interface/user.guards';
import { AdministratorAuthenticationController, AgentAuthenticationController } from './interface/user-authentication.controller';

/** Agents' and administrators' accounts and their sessions. */
@Module({
  controllers: [AgentAuthenticationController, AdministratorAuthenticationController],
  providers: [
    AuthenticateUser,
    EndUserSession,
    UserSessionEvents,
    VerifyUserCredentials,
    AgentGuard,
    AdministratorGuard,
    { provide: UserAccountRepository, useClass: MysqlUserAccountRepository },
  ],
  exports: [AgentGuard, AdministratorGuard, AuthenticateUser, UserSessionEvents, VerifyUserCredentials],
})
export class UserAccountModule {}
