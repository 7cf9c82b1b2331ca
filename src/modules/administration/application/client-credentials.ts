import type { ClientApplicationSettings } from '../domain/configuration';

/** An application as answered right after its secret was made: the only time the secret is shown. */
export interface ClientApplicationWithSecret extends ClientApplicationSettings {
  clientSecret: string;
}

/** An application as answered right after a change that set its first callback URL: the only time the signing secret is shown. */
export interface WithCallbackSigningSecret {
  callbackSigningSecret?: string;
}
