import { AppError } from '../../../platform/errors/app-error';
import { echoed } from '../../../platform/errors/echoed-value';
import { maskAuthentication, type CallbackFormat, type CallbackSettings, type CallbackState, type MaskedAuthentication } from '../domain/callback-settings';

/** Callback settings as they may be shown: every secret masked. */
export interface CallbackView {
  clientApplicationId: string;
  url: string | null;
  format: CallbackFormat;
  authentication: MaskedAuthentication;
  signingSecretConfigured: boolean;
  /** While the secret a rotation replaced still signs beside the current one. */
  previousSigningSecretValidUntil: Date | null;
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
