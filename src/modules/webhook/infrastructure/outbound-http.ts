import { lookup } from 'node:dns';
import { Agent, fetch } from 'undici';
import { isPrivateAddress, isPrivateHostLiteral } from '../../../platform/security/address-policy';
import type { AttemptResult } from '../domain/retry-policy';

export interface OutboundResponse {
  status: number;
  text: string;
}

export interface OutboundOptions {
  timeoutMs: number;
  /** Refuse loopback, link-local and private targets (SSRF protection). */
  blockPrivateAddresses: boolean;
}

/**
 * Connections whose every resolved address is checked at connect time, so a name that
 * resolves (or re-resolves) to a private address is refused: no DNS-rebinding window.
 */
const guardedAgent = new Agent({
  connect: {
    lookup: (hostname, options, callback) =>
      lookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return callback(err, []);
        const blocked = addresses.find((a) => isPrivateAddress(a.address));
        if (blocked) return callback(Object.assign(new Error(`${hostname} resolves to the private address ${blocked.address}`), { code: 'EADDRBLOCKED' }), []);
        callback(null, addresses);
      }),
  },
});
const plainAgent = new Agent();

/**
 * One outbound POST with the platform's rules: a hard timeout covering the whole
 * exchange, redirects never followed (a 3xx is an answer like any other), private
 * targets refused when configured, and the transport's failures turned into results
 * rather than exceptions.
 */
export async function postOnce(url: string, headers: Record<string, string>, body: string, options: OutboundOptions): Promise<OutboundResponse | AttemptResult> {
  if (options.blockPrivateAddresses && isPrivateHostLiteral(new URL(url).hostname)) {
    return { kind: 'network', detail: 'EADDRBLOCKED' };
  }
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
      dispatcher: options.blockPrivateAddresses ? guardedAgent : plainAgent,
    });
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
