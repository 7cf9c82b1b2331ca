import type { Provider } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { SecretBox } from './secret-box';

/** The SecretBox of SECRETS_KEY, for the repositories that store secrets they must use again. */
export const SECRET_BOX_PROVIDER: Provider = {
  provide: SecretBox,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => SecretBox.fromBase64Key(config.SECRETS_KEY),
};
