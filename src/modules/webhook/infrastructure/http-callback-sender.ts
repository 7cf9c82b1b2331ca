import { Injectable } from '@nestjs/common';
import { AppConfig, blockPrivateCallbackAddresses } from '../../../platform/config/app-config';
import { CallbackSender, type CallbackRequest } from '../application/callback-sender';
import { retryAfterMs, type AttemptResult } from '../domain/retry-policy';
import { signingSecretsOf } from '../domain/callback-settings';
import { signatureHeaders } from '../domain/signing';
import { renderCallbackBody } from './callback-body';
import { isFailure, postOnce } from './outbound-http';
import { OAuth2TokenCache } from './oauth2-token-cache';

const USER_AGENT = 'messaging-backend-webhooks/1';

@Injectable()
export class HttpCallbackSender extends CallbackSender {
  constructor(private readonly tokens: OAuth2TokenCache, private readonly config: AppConfig) {
    super();
  }

  async send(request: CallbackRequest): Promise<AttemptResult> {
    const { settings } = request;
    const { body, contentType } = renderCallbackBody(request.messages, settings.format);
    const auth = settings.authentication;
    if (auth.type !== 'oauth2') {
      const authorization = auth.type === 'basic' ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` : undefined;
      return this.post(request, body, contentType, authorization);
    }
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.token(settings.clientApplicationId, auth, { timeoutMs: this.config.WEBHOOK_TIMEOUT_MS, blockPrivateAddresses: blockPrivateCallbackAddresses(this.config) });
      if ('failure' in token) return token.failure;
      const result = await this.post(request, body, contentType, `Bearer ${token.accessToken}`);
      // A 401 with a token from the cache: it was revoked or expired early; one fresh try.
      if (result.kind === 'response' && result.status === 401 && attempt === 0 && !token.fresh) {
        this.tokens.invalidate(settings.clientApplicationId);
        continue;
      }
      if (result.kind === 'response' && result.status === 401) this.tokens.invalidate(settings.clientApplicationId);
      return result;
    }
  }

  private async post(request: CallbackRequest, body: string, contentType: string, authorization: string | undefined): Promise<AttemptResult> {
    // Signed per attempt: the timestamp is when this request was sent.
    const headers: Record<string, string> = {
      'content-type': contentType,
      'user-agent': USER_AGENT,
      ...signatureHeaders(signingSecretsOf(request.settings), request.id, new Date(), body),
      ...(authorization ? { authorization } : {}),
    };
    const res = await postOnce(request.settings.url, headers, body, { timeoutMs: this.config.WEBHOOK_TIMEOUT_MS, blockPrivateAddresses: blockPrivateCallbackAddresses(this.config), bodyIgnored: true });
    if (isFailure(res)) return res;
    // Read when the answer came, which is what a date in it is measured from.
    const pause = retryAfterMs(res.retryAfter, Date.now());
    return { kind: 'response', status: res.status, ...(pause !== undefined ? { retryAfterMs: pause } : {}) };
  }
}
