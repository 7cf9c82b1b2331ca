import type { ServerResponse } from 'node:http';

/**
 * Whether Node ends the connection once `res` is sent: its answer says `Connection: close`, or
 * the request asked to close, or the server stops keeping connections alive. Node decides it when
 * it builds the head (OutgoingMessage's `_storeHeader` sets `_last`) and acts on that same flag
 * after the answer's `finish` (the server's `resOnFinish` calls `destroySoon`), so the flag is the
 * one account of that decision: no public property tells it, and the `Connection` header alone
 * misses the cases Node closes on by itself. It is a private field, set so on Node 20 (the
 * project's engines): closing-answer.spec.ts fails should a Node release stop setting it.
 * Meaningful once the head is built (`headersSent`): before, it is false.
 */
export function closesConnection(res: ServerResponse): boolean {
  return (res as ServerResponse & { _last?: boolean })._last === true;
}
