/**
 * What one callback attempt came to, as the transport saw it. `token`: the OAuth2 token
 * request failed, so the callback itself was not sent.
 */
export type AttemptResult =
  | { kind: 'response'; status: number }
  | { kind: 'timeout' }
  | { kind: 'network'; detail: string }
  | { kind: 'token'; detail: string };

export type Verdict = 'delivered' | 'retry' | 'rejected';

/**
 * 2xx is delivered. Timeouts, network errors, 5xx and 429 are worth another try. Anything
 * else (3xx — redirects are not followed —, 4xx) is the receiver refusing this request:
 * retrying the same bytes would not change its answer. A failed token request is retried
 * whatever the token endpoint answered: the receiver never saw these events, and the
 * credentials it refused may be fixed.
 */
export function verdictOf(result: AttemptResult): Verdict {
  if (result.kind !== 'response') return 'retry';
  if (result.status >= 200 && result.status < 300) return 'delivered';
  if (result.status >= 500 || result.status === 429) return 'retry';
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
