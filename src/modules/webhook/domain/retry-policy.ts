/**
 * What one callback attempt came to, as the transport saw it. `token`: the OAuth2 token
 * request failed, so the callback itself was not sent.
 */
export type AttemptResult =
  /** `retryAfterMs`: the pause the answer's Retry-After asked for, from when it arrived. */
  | { kind: 'response'; status: number; retryAfterMs?: number }
  | { kind: 'timeout' }
  | { kind: 'network'; detail: string }
  /** `status` and `retryAfterMs`: the token endpoint's own answer, when it answered. */
  | { kind: 'token'; detail: string; status?: number; retryAfterMs?: number };

export type Verdict = 'delivered' | 'retry' | 'rejected';

/**
 * Answers about where or how a callback was sent rather than what it carried: a URL that
 * moved or has no such resource (3xx — redirects are not followed —, 404, 405, 410),
 * credentials or a signature the receiver does not accept (401, 403), a format it does not
 * take (415). Settings that one side or the other will fix: the same events, sent again
 * once they are, would be taken, so they wait (retried with backoff until then, the
 * failures counting towards deactivation) instead of being set aside.
 */
const MISCONFIGURED = new Set([401, 403, 404, 405, 410, 415]);

/**
 * 2xx is delivered. Timeouts, network errors, 5xx, 408, 425, 429 and the answers of a
 * misconfiguration (above) are worth another try. The other 4xx (400, 409, 413, 422…) are
 * the receiver refusing what this request carried: retrying the same bytes would not change
 * its answer. A failed token request is retried whatever the token endpoint answered: the
 * receiver never saw these events, and the credentials it refused may be fixed.
 */
export function verdictOf(result: AttemptResult): Verdict {
  if (result.kind !== 'response') return 'retry';
  const { status } = result;
  if (status >= 200 && status < 300) return 'delivered';
  if (status >= 500 || status === 408 || status === 425 || status === 429) return 'retry';
  if ((status >= 300 && status < 400) || MISCONFIGURED.has(status)) return 'retry';
  return 'rejected';
}

export function describeAttempt(result: AttemptResult): string {
  switch (result.kind) {
    case 'response':
      return `HTTP ${result.status}`;
    case 'timeout':
      return 'timeout';
    case 'network':
      return `network error: ${result.detail}`.slice(0, 255);
    case 'token':
      return `token endpoint: ${result.detail}`.slice(0, 255);
  }
}

/**
 * Exponential backoff with jitter: the n-th consecutive failure waits between half and
 * all of min(max, base * 2^(n-1)), so receivers coming back are not hit by every sender at once.
 */
export function retryDelayMs(failures: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * The wait before the next attempt after the n-th consecutive failure: the backoff, or longer
 * when a receiver or its OAuth2 token endpoint, answering 429 or 503, asked for a longer pause
 * with Retry-After (RFC 6585, RFC 9110 §10.2.3). The pause is honoured up to `maxMs` only, so
 * that a receiver cannot park an application's deliveries (which wait in order behind this
 * batch) for days; a receiver still busy then answers 429 or 503 again and asks once more.
 */
export function nextAttemptDelayMs(failures: number, result: AttemptResult, policy: { baseMs: number; maxMs: number }, random: () => number = Math.random): number {
  const backoff = retryDelayMs(failures, policy.baseMs, policy.maxMs, random);
  // The receiver, or its token endpoint: both are the same party asking for a pause.
  const answered = result.kind === 'response' || result.kind === 'token' ? result : undefined;
  const asked = answered && (answered.status === 429 || answered.status === 503) ? answered.retryAfterMs : undefined;
  return asked === undefined ? backoff : Math.max(backoff, Math.min(asked, policy.maxMs));
}

const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC850_DATE = /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d{2}-(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/**
 * A Retry-After value as a pause in milliseconds from `nowMs`: delay-seconds, or an HTTP
 * date in any of the three forms RFC 9110 §5.6.7 has recipients accept (a date already past
 * is no pause). Anything else is no request at all (undefined), as if the header were absent.
 */
export function retryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // asctime carries no zone: HTTP dates are always GMT.
  const date = IMF_FIXDATE.test(v) || RFC850_DATE.test(v) ? Date.parse(v) : ASCTIME_DATE.test(v) ? Date.parse(`${v} GMT`) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
