import { Module } from '@nestjs/common';
import { AuthenticateUser } from './application/authenticate-user/authenticate-user.use-case';
import { UserAccountRepository } from './application/user-account.repository';
import { VerifyUserCredentials } from './application/verify-user-credentials/verify-user-credentials.use-case';
import { MysqlUserAccountRepository } from './infrastructure/mysql-user-account.repository';
import { AdministratorGuard, AgentGuard } from './interface/user.guards';
import { AdministratorAuthenticationController, AgentAuthenticationController } from './interface/user-authentication.controller';

/** Agents' and administrators' accounts and their sessions. */
@Module({
  controllers: [AgentAuthenticationController, AdministratorAuthenticationController],
  providers: [AuthenticateUser, AgentGuard, AdministratorGuard, { provide: UserAccountRepository, useClass: MysqlUserAccountRepository }, VerifyUserCredentials],
  exports: [AgentGuard, AdministratorGuard, AuthenticateUser, VerifyUserCredentials],
})
export class UserAccountModule {}
