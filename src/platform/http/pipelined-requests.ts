import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { markArrival } from './arrival';
import { closesConnection } from './closing-answer';
import { lingerBriefly } from './read-body';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** What a connection carries here: its requests being worked on, and those parsed that wait their turn. */
interface Connection extends Socket {
  [WORKING]?: number;
  [WAITING]?: ServerResponse[];
  [LAST]?: ServerResponse;
  // performance.now() times, as the parser's duration() counts.
  [READ_AGAIN]?: number;
  [POSTPONED]?: { timeout: Error; began: number; timer?: NodeJS.Timeout };
  [FOR_GOOD]?: true;
  [CLOSING]?: true;
  // Node's own flag for a connection it stopped reading (its backpressure on pipelined requests):
  // while it is set, Node keeps the socket and its parser paused whoever else resumes the socket.
  _paused?: boolean;
  // duration: ms since the request being read began (0 between requests).
  parser?: { resume(): void; headersCompleted(): boolean; duration(): number } | null;
  server?: Server;
}

const WORKING = Symbol('requests being worked on');
const WAITING = Symbol('requests waiting their turn');
const LAST = Symbol('the answer to the last request read');
const READ_AGAIN = Symbol('when the connection was last read again after it was held');
const POSTPONED = Symbol("Node's headers timeout of a request begun while the connection was held");
const FOR_GOOD = Symbol('read no more');
const CLOSING = Symbol('answering what was read, then closed');

/** A request read whole that the api, stopping, will not begin: its answer in the format it asked for. */
export type Refusal = (res: ServerResponse) => void;

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
 * from 227 MB to over 1 GB; a transcript page holds up to TRANSCRIPT_PAGE_MAX_BYTES of text,
 * 1 MiB by default). At most `limit` requests of a
 * connection are worked on at once, from their arrival until their answer is all handed to the
 * kernel: a request beyond that waits, not built, and the connection is not read (Node's own
 * pause, which its parser obeys, kept while requests wait) until the requests before it are
 * answered. The requests already parsed from the chunk that went past the limit wait with it; no
 * more are read. Answers keep their order: Node queues them by arrival, whatever order they are
 * written in. A request sent alone costs a counter on its connection and a listener on its answer.
 */
export function boundPipelinedRequests(server: Server, limit: number, refuse: Refusal): (socket: Socket) => void {
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
    if (!closesBefore(connection, next)) handle(next.req, next);
  }
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    markArrival(req);
    const connection = req.socket as Connection;
    // Read after an answer that closes the connection (its closing reads and drops what comes): never sent.
    if (closesBefore(connection, res)) return;
    // Read after the api began to stop (the rest of a request then being read came with it): not begun.
    if (connection[CLOSING]) return void closeAfter(connection, res, refuse);
    connection[LAST] = res;
    if ((connection[WORKING] ?? 0) < limit && connection[WAITING] === undefined) return handle(req, res);
    (connection[WAITING] ??= []).push(res);
    stopReading(connection);
  });
  return answerThenClose;

  /**
   * The api stops: each request of the connection read whole is answered, in order, and then the
   * connection is closed, the last answer alone saying `Connection: close` (Node ends a connection
   * after the answer that says so, and the answers after it were lost, the requests run). Those
   * worked on are answered as usual, a start's commit included; those waiting their turn are not
   * begun, and refused at once (503 with Retry-After). Reading stops for good once the last
   * request is read whole: nothing read after could be answered.
   */
  function answerThenClose(socket: Socket): void {
    const connection = socket as Connection;
    if (connection[CLOSING]) return;
    connection[CLOSING] = true;
    lingerBriefly(connection);
    const waiting = connection[WAITING] ?? [];
    connection[WAITING] = undefined;
    const last = connection[LAST];
    if (last !== undefined && last.req.complete) stopReadingForGood(connection);
    else last?.req.once('end', () => stopReadingForGood(connection));
    if (waiting.length === 0) return void (last !== undefined && closeAfter(connection, last));
    for (const res of waiting.slice(0, -1)) refuse(res);
    closeAfter(connection, waiting[waiting.length - 1], refuse);
  }
}

/**
 * `res` is the last answer of a closing connection (refused first when `refuse` is given): it says
 * `Connection: close` unless already under way, when the connection is closed once it is sent. The
 * one before it, if it was the last until now, no longer closes the connection, or is the last sent.
 */
function closeAfter(connection: Connection, res: ServerResponse, refuse?: Refusal): void {
  const before = connection[LAST];
  connection[LAST] = res;
  if (before !== undefined && before !== res && !before.headersSent) before.removeHeader('Connection');
  if (!res.headersSent) res.setHeader('Connection', 'close');
  else if (res.writableFinished) connection.destroySoon();
  else res.once('finish', () => connection[LAST] === res && connection.destroySoon());
  refuse?.(res);
}

/**
 * Whether an answer before `res` closes the connection (a 413 or a 408 refusing a body still
 * arriving says `Connection: close`): then `res` is never sent, Node ending the connection after that
 * answer, and its request is not begun. Such a request is read after the answer that closes: the
 * rest of the refused body is read and dropped (read-body.ts, lingerWhenClosed), and a pipelined request
 * after it reached the application, ran (a start committed) and had its answer lost. Left unanswered,
 * it is one of those a client knows were not processed, as the answer before it said
 * `Connection: close` (RFC 9112, 9.6).
 */
function closesBefore(connection: Connection, res: ServerResponse): boolean {
  if (connection.writableEnded) return true;
  const before = connection[LAST];
  return before !== undefined && before !== res && before.headersSent && closesConnection(before);
}

/** The connection is not read again, whoever resumes it: the api is stopping, what follows would not be answered. */
function stopReadingForGood(connection: Connection): void {
  connection[FOR_GOOD] = true;
  if (!connection.destroyed) stopReading(connection);
}

/** Node's pause: its parser stops after the chunk it is reading, its socket is read no more. */
function stopReading(connection: Connection): void {
  if (!connection.listeners('resume').includes(readAgain)) connection.on('resume', readAgain);
  connection._paused = true;
  connection.pause();
}

/**
 * Node resumes a connection it paused once its answers drain, which may come while requests still
 * wait: the connection is stopped again, in the same tick as Node started reading it, before
 * anything is read. Otherwise it is read again from now, and a request's headers whose timeout
 * was postponed meanwhile have HEADERS_TIMEOUT_MS from now.
 */
function readAgain(this: Connection): void {
  // Its sending side ended (read-body.ts, lingerWhenClosed), a connection is read to drop what
  // comes: held, what its client sent after would be in the kernel at its close, which then resets
  // the connection and loses the end of the last answer.
  if ((this[WAITING] !== undefined || this[FOR_GOOD]) && !this.destroyed && !this.writableEnded) {
    this._paused = true;
    this.pause();
  }
  // Node's own listener stops it again when its flag is set: not read after all.
  if (this._paused === true || this.destroyed) return;
  this[READ_AGAIN] = performance.now();
  const postponed = this[POSTPONED];
  if (postponed !== undefined && postponed.timer === undefined) timeHeaders(this, postponed, this.server?.headersTimeout ?? 0);
}

/**
 * Node times a request's line and headers from their first byte (HEADERS_TIMEOUT_MS,
 * headers-timeout.ts). Their first bytes may come in the chunk that brought requests that then
 * wait their turn: the rest waits unread in the kernel while the connection is held, and Node
 * answered 408 a client that had sent them all in time. Node's timeout of headers begun while the
 * connection was held is postponed: they have HEADERS_TIMEOUT_MS from when it is read again, and
 * are then refused as Node refuses them, with the same error (`clientError`); a client slow with
 * them after that is refused as any other. Node drops such a request from its timed connections,
 * so its requestTimeout no longer bounds it; REQUEST_TIMEOUT_MS and the stalled-connection
 * timeout still do. Answers whether Node's `err` on `socket` is such a timeout, now postponed.
 */
export function postponedHeadersTimeout(socket: unknown, err: Error & { code?: string }): boolean {
  const connection = socket as Connection;
  const parser = connection.parser;
  if (err.code !== 'ERR_HTTP_REQUEST_TIMEOUT' || !parser || parser.headersCompleted() || connection.destroyed) return false;
  const postponed = { timeout: err, began: performance.now() - parser.duration() };
  // Held, and watched here: timed once it is read again (readAgain).
  if (connection._paused === true && connection.listeners('resume').includes(readAgain)) {
    connection[POSTPONED] = postponed;
    return true;
  }
  const readSince = connection[READ_AGAIN];
  if (readSince === undefined || readSince < postponed.began) return false;
  const left = readSince + (connection.server?.headersTimeout ?? 0) - performance.now();
  if (left <= 0) return false;
  timeHeaders(connection, postponed, left);
  return true;
}

function timeHeaders(connection: Connection, postponed: NonNullable<Connection[typeof POSTPONED]>, ms: number): void {
  connection[POSTPONED] = postponed;
  postponed.timer = setTimeout(() => {
    connection[POSTPONED] = undefined;
    const parser = connection.parser;
    if (connection.destroyed || !parser || parser.headersCompleted()) return;
    // A request begun since (HEADERS_TIMEOUT_MS at least after the postponed one, which Node had
    // timed out) is Node's to time again.
    const since = parser.duration();
    if (since === 0 || performance.now() - since > postponed.began + (connection.server?.headersTimeout ?? 0) / 2) return;
    connection[READ_AGAIN] = undefined;
    if (!connection.server?.emit('clientError', postponed.timeout, connection)) connection.destroy(postponed.timeout);
  }, ms).unref();
}

/** Reading goes on, unless Node holds the connection for answers of its own not yet sent: it resumes it when they drain. */
function resumeReading(connection: Connection): void {
  if (connection.destroyed || connection.writableNeedDrain || connection[FOR_GOOD]) return;
  connection._paused = false;
  connection.parser?.resume();
  connection.resume();
}
