import type { IncomingMessage } from 'node:http';

const ARRIVED = Symbol('when the request was read (process.hrtime.bigint())');

type Arriving = IncomingMessage & { [ARRIVED]?: bigint };

/**
 * Records when a request was read (its headers parsed), before it may wait its turn behind others
 * pipelined on its connection (pipelined-requests.ts): its latency is counted from then, as its
 * client waits from then. The first mark stands.
 */
export function markArrival(req: IncomingMessage, at: bigint = process.hrtime.bigint()): void {
  (req as Arriving)[ARRIVED] ??= at;
}

/** When the request was read; now for one never marked (bytes Node could not read as a request). */
export function arrivalOf(req: IncomingMessage): bigint {
  return (req as Arriving)[ARRIVED] ?? process.hrtime.bigint();
}
