/** What other modules may use of the user-account module. */
export { UserAccountModule } from './user-account.module';
export { AgentGuard, AdministratorGuard, CurrentUser } from './interface/user.guards';
export type { UserPrincipal, UserRole } from './domain/user-account';
export { UserDirectoryModule } from './user-directory.module';
export { UserDirectory } from './application/user-directory';
export { VerifyUserCredentials } from './application/verify-user-credentials/verify-user-credentials.use-case';
export { UserSessionEvents, type UserSessionEvent } from './application/user-session-events';
