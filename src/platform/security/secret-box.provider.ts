import type { Provider } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { SecretBox } from './secret-box';

/** SECRETS_KEY seals and opens; the keys of SECRETS_KEY_PREVIOUS only open. */
export function secretBoxOf(config: Pick<AppConfig, 'SECRETS_KEY' | 'SECRETS_KEY_PREVIOUS'>): SecretBox {
  return SecretBox.fromBase64Key(config.SECRETS_KEY, config.SECRETS_KEY_PREVIOUS ? config.SECRETS_KEY_PREVIOUS.split(',') : []);
}

/** The SecretBox of the configured keys, for the repositories that store secrets they must use again. */
export const SECRET_BOX_PROVIDER: Provider = {
  provide: SecretBox,
  inject: [AppConfig],
  useFactory: secretBoxOf,
};
