import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** What a connection carries here: its requests being worked on, and those parsed that wait their turn. */
interface Connection extends Socket {
  [WORKING]?: number;
  [WAITING]?: ServerResponse[];
  [LAST]?: ServerResponse;
  // Node's own flag for a connection it stopped reading (its backpressure on pipelined requests):
  // while it is set, Node keeps the socket and its parser paused whoever else resumes the socket.
  _paused?: boolean;
  parser?: { resume(): void } | null;
}

const WORKING = Symbol('requests being worked on');
const WAITING = Symbol('requests waiting their turn');
const LAST = Symbol('the answer to the last request read');

/**
 * The answer to the last request read whole from a connection, while it is not yet all sent,
 * whether worked on or waiting its turn (undefined when that is not known: the last request is
 * still being read and none waits). Bytes that follow it and cannot be read as a request are
 * answered after it (unreadable-request.ts), as a client reads answers in the order of its requests.
 */
export function lastUnsentAnswer(socket: unknown): ServerResponse | undefined {
  const connection = socket as Connection;
  const last = connection[LAST];
  if (last === undefined || last.writableFinished) return undefined;
  if (last.req.complete) return last;
  const waiting = connection[WAITING] ?? [];
  for (let i = waiting.length - 1; i >= 0; i--) if (waiting[i].req.complete) return waiting[i];
  return undefined;
}

/**
 * Node parses every request of a chunk read from a connection (tens to hundreds pipelined in 32 to
 * 64 KB) and hands them all to the application at once, their answers then queued in order; it
 * stops reading only once answers wait unsent. A client that pipelines many requests for large
 * answers and reads none had the api build them all at once (800 for the API description took it
 * from 227 MB to over 1 GB; a transcript page is up to 20 MB). At most `limit` requests of a
 * connection are worked on at once, from their arrival until their answer is all handed to the
 * kernel: a request beyond that waits, not built, and the connection is not read (Node's own
 * pause, which its parser obeys, kept while requests wait) until the requests before it are
 * answered. The requests already parsed from the chunk that went past the limit wait with it; no
 * more are read. Answers keep their order: Node queues them by arrival, whatever order they are
 * written in. A request sent alone costs a counter on its connection and a listener on its answer.
 */
export function boundPipelinedRequests(server: Server, limit: number): void {
  const handlers = server.listeners('request') as Handler[];
  server.removeAllListeners('request');
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const connection = req.socket as Connection;
    connection[WORKING] = (connection[WORKING] ?? 0) + 1;
    res.on('close', answered);
    for (const h of handlers) h.call(server, req, res);
  };
  /** A request worked on is answered: the next one waiting, if any, takes its place. */
  function answered(this: ServerResponse): void {
    const connection = this.req.socket as Connection;
    connection[WORKING]! -= 1;
    const waiting = connection[WAITING];
    if (waiting === undefined) return;
    if (connection.destroyed) return void (connection[WAITING] = undefined);
    const next = waiting.shift()!;
    if (waiting.length === 0) {
      connection[WAITING] = undefined;
      resumeReading(connection);
    }
    handle(next.req, next);
  }
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const connection = req.socket as Connection;
    connection[LAST] = res;
    if ((connection[WORKING] ?? 0) < limit && connection[WAITING] === undefined) return handle(req, res);
    (connection[WAITING] ??= []).push(res);
    stopReading(connection);
  });
}

/** Node's pause: its parser stops after the chunk it is reading, its socket is read no more. */
function stopReading(connection: Connection): void {
  if (!connection.listeners('resume').includes(keepStopped)) connection.on('resume', keepStopped);
  connection._paused = true;
  connection.pause();
}

/**
 * Node resumes a connection it paused once its answers drain, which may come while requests still
 * wait: the connection is stopped again, in the same tick as Node started reading it, before
 * anything is read.
 */
function keepStopped(this: Connection): void {
  if (this[WAITING] !== undefined && !this.destroyed) {
    this._paused = true;
    this.pause();
  }
}

/** Reading goes on, unless Node holds the connection for answers of its own not yet sent: it resumes it when they drain. */
function resumeReading(connection: Connection): void {
  if (connection.destroyed || connection.writableNeedDrain) return;
  connection._paused = false;
  connection.parser?.resume();
  connection.resume();
}
