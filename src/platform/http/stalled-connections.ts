import type { Server } from 'node:http';
import { MAX_DURATION_MS } from '../config/app-config';

/**
 * How long nothing may move on a connection, in either direction, before it is closed: twice the
 * longer of REQUEST_TIMEOUT_MS and HEADERS_TIMEOUT_MS. Every request is answered within
 * REQUEST_TIMEOUT_MS, its headers come within HEADERS_TIMEOUT_MS or are answered 408, and idle
 * keep-alive connections close after Node's keepAliveTimeout; what none of them bounds is an answer
 * the client does not read, whose unsent part stayed in the api's memory for as long as the client
 * kept the connection open (ten clients each asking for a transcript page of 20 MB and reading
 * nothing held 150 MB for good). Twice the longer bound, so that a request still being worked on
 * (nothing written before its 503 at REQUEST_TIMEOUT_MS) or headers still arriving (answered 408
 * at HEADERS_TIMEOUT_MS) get their answer rather than a connection closed without one. At most
 * the longest timer Node runs: past it, it would fire after 1 ms and close every connection.
 */
export function stalledConnectionTimeoutMs(settings: { REQUEST_TIMEOUT_MS: number; HEADERS_TIMEOUT_MS: number }): number {
  return Math.min(2 * Math.max(settings.REQUEST_TIMEOUT_MS, settings.HEADERS_TIMEOUT_MS), MAX_DURATION_MS);
}

/** Node closes a connection idle for `server.timeout` when nothing else handles its timeout (nothing here does). */
export function closeStalledConnections(server: Server, settings: { REQUEST_TIMEOUT_MS: number; HEADERS_TIMEOUT_MS: number }): void {
  server.timeout = stalledConnectionTimeoutMs(settings);
}
