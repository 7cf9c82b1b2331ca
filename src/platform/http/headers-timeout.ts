import type { Server } from 'node:http';

/** Longest wait between two of Node's checks of its connections' timeouts: its own default. */
const MAX_CHECK_INTERVAL_MS = 30_000;

/**
 * Sets how long a connection may take to send a request's line and headers, from its first byte,
 * before it is answered 408-101 and closed (unreadable-request.ts writes the answer; one begun
 * while the connection was held is timed from when it is read again, pipelined-requests.ts).
 * Node does not time each connection: it looks for late ones every `connectionsCheckingInterval`
 * (30 s by default), so that its default 60 s ran to anything up to 90 s. Checking every tenth of the
 * timeout keeps the answer within 10 % of the setting; the check walks only the connections with
 * a request under way. Node starts its checks when the server starts listening, so this is called
 * before.
 */
export function applyHeadersTimeout(server: Server, headersTimeoutMs: number): void {
  server.headersTimeout = headersTimeoutMs;
  // Node reads it when the server starts listening; its types know it only as an option of createServer.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(MAX_CHECK_INTERVAL_MS, Math.ceil(headersTimeoutMs / 10));
}
