import type { AttemptResult } from '../domain/retry-policy';

export interface OutboundResponse {
  status: number;
  text: string;
}

/**
 * One outbound POST with the platform's rules: a hard timeout covering the whole
 * exchange, redirects never followed (a 3xx is an answer like any other), and the
 * transport's failures turned into results rather than exceptions.
 */
export async function postOnce(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<OutboundResponse | AttemptResult> {
  try {
    const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    // Read the (small) answer so the connection can be reused; cap what is kept.
    const text = (await res.text()).slice(0, 4096);
    return { status: res.status, text };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return { kind: 'timeout' };
    return { kind: 'network', detail: e.cause?.code ?? e.cause?.message ?? e.message };
  }
}

export function isFailure(value: OutboundResponse | AttemptResult): value is AttemptResult {
  return 'kind' in value;
}
