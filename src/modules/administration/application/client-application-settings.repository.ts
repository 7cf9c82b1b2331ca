import type { CallbackFormat, ClientApplicationSettings } from '../domain/configuration';

export interface NewClientApplication {
  name: string;
  type: string;
  clientId: string;
  secretHash: string;
  entryPointIds: string[];
  callbackUrl: string | null;
  callbackFormat: CallbackFormat;
}

export type ClientApplicationChanges = Partial<Pick<NewClientApplication, 'name' | 'type' | 'entryPointIds' | 'callbackUrl' | 'callbackFormat'>>;

export abstract class ClientApplicationSettingsRepository {
  abstract list(): Promise<ClientApplicationSettings[]>;
  abstract byId(id: string): Promise<ClientApplicationSettings | undefined>;
  /** Throws ResourceAlreadyExists when the client id is taken. */
  abstract create(application: NewClientApplication): Promise<string>;
  /** `entryPointIds`, when given, replaces the application's entry points. */
  abstract update(id: string, changes: ClientApplicationChanges): Promise<void>;
  abstract replaceSecret(id: string, secretHash: string): Promise<void>;
}
