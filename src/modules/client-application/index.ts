/** What other modules may use of the client-application module. */
export { ClientApplicationModule } from './client-application.module';
export { ClientApplicationDirectoryModule } from './client-application-directory.module';
export { ClientApplicationDirectory } from './application/client-application.directory';
export { ClientApplicationGuard, CurrentClientApplication } from './interface/client-application.guard';
export { EntryPointNotAllowed, EntryPointNotFound } from './domain/client-application.errors';
export type { ClientApplication, ClientApplicationPrincipal, EntryPoint } from './domain/client-application';
export { CLIENT_APPLICATION_CACHE_SCOPE } from './domain/client-application';
export { CLIENT_APPLICATION_TYPES, type ClientApplicationType } from './domain/client-application';
