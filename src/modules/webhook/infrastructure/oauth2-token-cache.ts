import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { CallbackAuthentication } from '../domain/callback-settings';
import { describeAttempt, retryAfterMs, type AttemptResult } from '../domain/retry-policy';
import { isFailure, postOnce, type OutboundOptions } from './outbound-http';

type OAuth2 = Extract<CallbackAuthentication, { type: 'oauth2' }>;

interface CachedToken {
  fingerprint: string;
  accessToken: string;
  expiresAt: number;
}

export type TokenOutcome = { accessToken: string; fresh: boolean } | { failure: AttemptResult };

const DEFAULT_EXPIRES_IN_SECONDS = 300;
/** Token answers carry JWTs of several kilobytes; far more than that is not a token answer. */
const MAX_TOKEN_ANSWER_BYTES = 65536;
const EXPIRY_MARGIN_MS = 30_000;
/**
 * What `Authorization: Bearer …` can carry: visible ASCII, no space (RFC 6750's b64token and
 * the tokens issuers write beyond it). Anything else cannot be sent, and the HTTP client's
 * refusal would quote it, token and all, into the delivery's result and the logs.
 */
const SENDABLE_TOKEN = /^[\x21-\x7E]+$/;

/**
 * OAuth2 client-credentials tokens for callback receivers, per application and per
 * worker process: fetched on first need, reused until shortly before they expire,
 * dropped when the receiver answers 401 or the settings change. Concurrent needs
 * share one token request.
 */
@Injectable()
export class OAuth2TokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<TokenOutcome>>();

  async token(clientApplicationId: string, auth: OAuth2, outbound: OutboundOptions): Promise<TokenOutcome> {
    const fingerprint = fingerprintOf(auth);
    const cached = this.tokens.get(clientApplicationId);
    if (cached && cached.fingerprint === fingerprint && cached.expiresAt > Date.now()) return { accessToken: cached.accessToken, fresh: false };
    const key = `${clientApplicationId}:${fingerprint}`;
    let request = this.pending.get(key);
    if (!request) {
      request = this.fetchToken(clientApplicationId, auth, fingerprint, outbound).finally(() => this.pending.delete(key));
      this.pending.set(key, request);
    }
    return request;
  }

  invalidate(clientApplicationId: string): void {
    this.tokens.delete(clientApplicationId);
  }

  private async fetchToken(clientApplicationId: string, auth: OAuth2, fingerprint: string, outbound: OutboundOptions): Promise<TokenOutcome> {
    // RFC 6749 2.3.1: client id and secret form-encoded, then as HTTP Basic credentials.
    const credentials = Buffer.from(`${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.clientSecret)}`).toString('base64');
    const form = new URLSearchParams({ grant_type: 'client_credentials', ...(auth.scope ? { scope: auth.scope } : {}) });
    const res = await postOnce(auth.tokenUrl, { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${credentials}` }, form.toString(), { ...outbound, maxAnswerBytes: MAX_TOKEN_ANSWER_BYTES });
    if (isFailure(res)) return tokenFailure(describeAttempt(res));
    if (res.status < 200 || res.status >= 300) {
      const pause = retryAfterMs(res.retryAfter, Date.now());
      return tokenFailure(describeAttempt({ kind: 'response', status: res.status }), { status: res.status, ...(pause !== undefined ? { retryAfterMs: pause } : {}) });
    }
    if (res.truncated) return tokenFailure(`answered more than ${MAX_TOKEN_ANSWER_BYTES} bytes`);
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(res.text) as typeof body;
    } catch {
      return tokenFailure('answered something that is not JSON');
    }
    if (typeof body.access_token !== 'string' || body.access_token.length === 0) return tokenFailure('answered no access_token');
    if (!SENDABLE_TOKEN.test(body.access_token)) return tokenFailure('answered an access_token that cannot be sent as a Bearer credential');
    const expiresInMs = (Number(body.expires_in) > 0 ? Number(body.expires_in) : DEFAULT_EXPIRES_IN_SECONDS) * 1000;
    const lifetime = Math.max(expiresInMs - EXPIRY_MARGIN_MS, expiresInMs / 2);
    this.tokens.set(clientApplicationId, { fingerprint, accessToken: body.access_token, expiresAt: Date.now() + lifetime });
    return { accessToken: body.access_token, fresh: true };
  }
}

/**
 * The callback was not sent: retried, never a rejection of its events, whatever the token
 * endpoint said. `answer`: the endpoint's status and the pause it asked for, when it answered.
 */
function tokenFailure(detail: string, answer: { status?: number; retryAfterMs?: number } = {}): { failure: AttemptResult } {
  return { failure: { kind: 'token', detail, ...answer } };
}

function fingerprintOf(auth: OAuth2): string {
  return createHash('sha256').update(JSON.stringify([auth.tokenUrl, auth.clientId, auth.clientSecret, auth.scope ?? ''])).digest('hex');
}
