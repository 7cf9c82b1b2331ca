import type { ClientApplicationSettings } from '../domain/configuration';
import type { ClientApplicationSettingsRepository } from './client-application-settings.repository';
import { found } from './found';
import { checkVersion, type ExpectedVersion } from './resource-version';

/**
 * The application a path id names, locked to the end of the caller's transaction, and only while
 * it is still at the version If-Match names (404, else 412 before anything is written): how every
 * versioned change of an application and of its callback begins.
 */
export async function applicationAtVersion(
  applications: ClientApplicationSettingsRepository,
  id: string,
  expected: ExpectedVersion | undefined,
): Promise<ClientApplicationSettings> {
  const current = found(await applications.byId(id, { lock: true }), 'client application', id);
  checkVersion('client application', id, current, expected);
  return current;
}
