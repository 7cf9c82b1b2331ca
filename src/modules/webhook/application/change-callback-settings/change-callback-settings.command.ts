import {
  CALLBACK_AUTH_TYPES,
  UnreadableSecret,
  secretMayFollow,
  type CallbackAuthType,
  type CallbackAuthentication,
  type CallbackFormat,
  type CallbackSettings,
} from '../../domain/callback-settings';
import { ANY_CONTROL, NOT_IN_ONE_LINE } from '../../../../platform/text/text-rules';
import { checkCallbackFormat, checkCallbackUrl, invalidCallbackField as invalid } from '../callback-field-rules';

export interface RequestedAuthentication {
  type: string;
  username?: string;
  password?: string;
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  scope?: string;
}

export interface RequestedCallbackSettings {
  url: string | null;
  format?: string;
  authentication?: RequestedAuthentication;
}

/**
 * New callback settings, checked on their own. Secrets may be left out when the
 * authentication type stays the same and the secret still goes to the same origin (the
 * callback URL for Basic, the token URL for OAuth2): the stored ones are kept (they are
 * never shown, so an administrator could not send them back).
 */
export class ChangeCallbackSettingsCommand {
  private constructor(
    readonly url: string | null,
    readonly format: CallbackFormat,
    private readonly auth: RequestedAuthentication & { type: CallbackAuthType },
  ) {}

  static create(raw: RequestedCallbackSettings, policy: { blockPrivateAddresses: boolean } = { blockPrivateAddresses: false }): ChangeCallbackSettingsCommand {
    if (raw.url !== null) checkCallbackUrl('url', raw.url, policy);
    const format = checkCallbackFormat('format', raw.format ?? 'json');
    const auth = raw.authentication ?? { type: 'none' };
    if (!(CALLBACK_AUTH_TYPES as readonly string[]).includes(auth.type)) throw invalid('authentication.type', `must be one of ${CALLBACK_AUTH_TYPES.join(', ')}`);
    if (auth.type === 'basic' && !auth.username) throw invalid('authentication.username', 'is required for basic authentication');
    if (auth.type === 'basic' && auth.username?.includes(':')) throw invalid('authentication.username', 'must not contain ":"');
    // RFC 7617: neither the user-id nor the password of Basic may hold a control character. The
    // user-id is shown in the settings' answers, which XML could not show holding U+FFFE or U+FFFF.
    if (auth.type === 'basic' && NOT_IN_ONE_LINE.test(auth.username!)) throw invalid('authentication.username', 'must not contain control characters, U+FFFE or U+FFFF');
    if (auth.type === 'basic' && auth.password !== undefined && ANY_CONTROL.test(auth.password)) throw invalid('authentication.password', 'must not contain control characters');
    if (auth.type === 'oauth2') {
      if (!auth.tokenUrl) throw invalid('authentication.tokenUrl', 'is required for oauth2 authentication');
      checkCallbackUrl('authentication.tokenUrl', auth.tokenUrl, policy);
      if (!auth.clientId) throw invalid('authentication.clientId', 'is required for oauth2 authentication');
      // Both are shown in the settings' answers and sent in the token request, as one line each.
      for (const field of ['clientId', 'scope'] as const) {
        const value = auth[field];
        if (value !== undefined && NOT_IN_ONE_LINE.test(value)) throw invalid(`authentication.${field}`, 'must not contain control characters, U+FFFE or U+FFFF');
      }
    }
    return new ChangeCallbackSettingsCommand(raw.url, format, auth as RequestedAuthentication & { type: CallbackAuthType });
  }

  /**
   * The authentication to store, given what is stored now. A secret given replaces the stored
   * one without reading it; a stored one no configured key opens cannot be kept.
   */
  authentication(current: Pick<CallbackSettings, 'url' | 'authentication'>): CallbackAuthentication {
    const a = this.auth;
    const stored = current.authentication;
    switch (a.type) {
      case 'none':
        return { type: 'none' };
      case 'basic': {
        const password = a.password ?? kept('authentication.password', stored.type === 'basic' && secretMayFollow(current.url, this.url) ? stored.password : undefined);
        if (password === undefined) throw invalid('authentication.password', 'is required when basic authentication is first set or the URL moves to another origin');
        return { type: 'basic', username: a.username!, password };
      }
      case 'oauth2': {
        const clientSecret = a.clientSecret ?? kept('authentication.clientSecret', stored.type === 'oauth2' && secretMayFollow(stored.tokenUrl, a.tokenUrl!) ? stored.clientSecret : undefined);
        if (clientSecret === undefined) throw invalid('authentication.clientSecret', 'is required when oauth2 authentication is first set or the token URL moves to another origin');
        return { type: 'oauth2', tokenUrl: a.tokenUrl!, clientId: a.clientId!, clientSecret, ...(a.scope ? { scope: a.scope } : {}) };
      }
    }
  }
}

/** The stored secret to keep, refused when no configured key opens it: it would never work again. */
function kept(field: string, stored: string | UnreadableSecret | undefined): string | undefined {
  if (stored instanceof UnreadableSecret) throw invalid(field, 'is required: the stored one cannot be read with the configured secrets keys');
  return stored;
}
