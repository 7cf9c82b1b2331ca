import { AppError } from '../../../platform/errors/app-error';
import { echoed } from '../../../platform/errors/echoed-value';
import {
  maskAuthentication,
  unreadableSecretsOf,
  type CallbackFormat,
  type CallbackSettings,
  type CallbackState,
  type MaskedAuthentication,
  type StoredCallbackSecret,
} from '../domain/callback-settings';

/** Callback settings as they may be shown: every secret masked. */
export interface CallbackView {
  clientApplicationId: string;
  url: string | null;
  format: CallbackFormat;
  authentication: MaskedAuthentication;
  signingSecretConfigured: boolean;
  /** While the secret a rotation replaced still signs beside the current one. */
  previousSigningSecretValidUntil: Date | null;
  /** Stored secrets no configured key opens: to be given again (credentials) or rotated (signing). */
  unreadableSecrets: StoredCallbackSecret[];
  state: CallbackState;
  consecutiveFailures: number;
  pendingEvents: number;
  rejectedEvents: number;
}

export function callbackView(settings: CallbackSettings, counts: { pending: number; rejected: number }): CallbackView {
  return {
    clientApplicationId: settings.clientApplicationId,
    url: settings.url,
    format: settings.format,
    authentication: maskAuthentication(settings.authentication),
    signingSecretConfigured: settings.signingSecret !== null,
    previousSigningSecretValidUntil: settings.previousSigningSecret?.validUntil ?? null,
    unreadableSecrets: unreadableSecretsOf(settings).map((u) => u.secret),
    state: settings.state,
    consecutiveFailures: settings.consecutiveFailures,
    pendingEvents: counts.pending,
    rejectedEvents: counts.rejected,
  };
}

export class ClientApplicationNotFound extends AppError {
  constructor(id: string) {
    super('ResourceNotFound', `client application ${echoed(id)} does not exist`, 'id', { resource: 'client application' });
  }
}
