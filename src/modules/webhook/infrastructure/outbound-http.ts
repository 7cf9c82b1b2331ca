import { lookup } from 'node:dns';
import { Agent, fetch } from 'undici';
import { maskedErrorText } from '../../../platform/errors/masked-error-text';
import { isPrivateAddress, isPrivateHostLiteral } from '../../../platform/security/address-policy';
import type { AttemptResult } from '../domain/retry-policy';

export interface OutboundResponse {
  status: number;
  /** The answer's body, at most `maxAnswerBytes` of it. */
  text: string;
  /** Whether the body went on past `maxAnswerBytes` (the rest was not read). */
  truncated: boolean;
  /** The answer's Retry-After header, as sent. */
  retryAfter?: string;
}

export interface OutboundOptions {
  timeoutMs: number;
  /** Refuse loopback, link-local and private targets (SSRF protection). */
  blockPrivateAddresses: boolean;
  /** How much of the answer's body is read; 4096 bytes unless the caller needs more. */
  maxAnswerBytes?: number;
  /**
   * The caller goes by the status alone (a callback). A body that the timeout or the
   * connection then cuts off leaves the answer as it was given, with no text: its status
   * arrived, and the receiver acted on the request.
   */
  bodyIgnored?: boolean;
}

const DEFAULT_MAX_ANSWER_BYTES = 4096;

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
    const retryAfter = res.headers.get('retry-after') ?? undefined;
    const answer = await readCapped(res.body, options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES).catch((err: unknown) => {
      if (options.bodyIgnored) return { text: '', truncated: true };
      throw err;
    });
    return { status: res.status, ...(retryAfter !== undefined ? { retryAfter } : {}), ...answer };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return { kind: 'timeout' };
    // The result is logged and kept with the events: a message may quote the URL, credentials and all.
    return { kind: 'network', detail: e.cause?.code ?? maskedErrorText(e.cause?.message ?? e.message) };
  }
}

/**
 * Reads a body up to `max` bytes, so that a small answer is consumed (and its connection can
 * be reused) while a receiver answering without end cannot fill the worker's memory: past the
 * cap the rest is not read and the stream is cancelled.
 */
async function readCapped(body: ReadableStream<Uint8Array> | null, max: number): Promise<{ text: string; truncated: boolean }> {
  if (!body) return { text: '', truncated: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
    chunks.push(value);
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return { text: Buffer.concat(chunks).subarray(0, max).toString('utf8'), truncated: true };
    }
  }
}

export function isFailure(value: OutboundResponse | AttemptResult): value is AttemptResult {
  return 'kind' in value;
}
