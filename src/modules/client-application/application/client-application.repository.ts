import type { ClientApplication, EntryPoint } from '../domain/client-application';

export interface StoredCredentials {
  clientApplicationId: string;
  secretHash: string;
}

export abstract class ClientApplicationRepository {
  abstract credentials(clientKey: string): Promise<StoredCredentials | undefined>;
  abstract byId(id: string): Promise<ClientApplication | undefined>;
  abstract entryPoint(id: string): Promise<EntryPoint | undefined>;
  /**
   * Serializes logins of one application, so the session limit holds under concurrency, and
   * answers its secret hash as of the lock (undefined: no such application).
   */
  abstract lockForLogin(id: string): Promise<string | undefined>;
}
