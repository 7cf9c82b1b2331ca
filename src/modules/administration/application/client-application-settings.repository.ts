import type { ClientApplicationSettings } from '../domain/configuration';
import type { ListPage, ListPageOf } from '../domain/list-page';

export interface NewClientApplication {
  name: string;
  type: string;
  clientId: string;
  secretHash: string;
  entryPointIds: string[];
}

export type ClientApplicationChanges = Partial<Pick<NewClientApplication, 'name' | 'type' | 'entryPointIds'>>;


/**
 * Applications as the administration writes them. The callback columns are read here but
 * written only by the webhook module (ChangeCallbackUrl), which keeps the signing secret
 * and the pending deliveries in step with the URL.
 */
export abstract class ClientApplicationSettingsRepository {
  abstract list(page: ListPage): Promise<ListPageOf<ClientApplicationSettings>>;
  /** With `lock`, the application's row stays locked until the transaction ends: concurrent changes of one application run one after the other. */
  abstract byId(id: string, options?: { lock?: boolean }): Promise<ClientApplicationSettings | undefined>;
  /** Throws ResourceAlreadyExists when the client id is taken. */
  abstract create(application: NewClientApplication): Promise<string>;
  /** `entryPointIds`, when given, replaces the application's entry points. */
  abstract update(id: string, changes: ClientApplicationChanges): Promise<void>;
  abstract replaceSecret(id: string, secretHash: string): Promise<void>;
}
