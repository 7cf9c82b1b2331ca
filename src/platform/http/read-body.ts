import type { Request } from 'express';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { AppError } from '../errors/app-error';
import { echoedHeader } from '../errors/echoed-value';
import { toAppError } from '../errors/ws-error';

/**
 * The body as its Content-Encoding says: `gzip`, `deflate` and `br` are decoded as they are read,
 * so that limits hold on the decoded bytes; any other encoding is 415-101.
 */
export function decodedBody(req: Request): Readable {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  switch (encoding) {
    case 'identity':
      return req;
    case 'gzip':
      return req.pipe(createGunzip());
    case 'deflate':
      return req.pipe(createInflate());
    case 'br':
      return req.pipe(createBrotliDecompress());
    default:
      throw new AppError('UnsupportedContentType', `unsupported content encoding ${echoedHeader(encoding)} (gzip, deflate and br are)`, 'Content-Encoding');
  }
}

/**
 * Stops reading a request whose body is still arriving, and has its answer close the connection:
 * the rest of the body cannot be skipped without reading it, and reading it would let a client
 * streaming a huge or endless body keep the request (and its answer) going for as long as it sends.
 */
export function stopReading(req: IncomingMessage, body: Readable, error: AppError): AppError {
  if (body !== req) {
    req.unpipe(body as unknown as NodeJS.WritableStream);
    body.destroy();
  }
  req.pause();
  dropWhenClosed(req);
  return new AppError(error.kind, error.developerMessage, error.details, error.args, { ...error.headers, Connection: 'close' });
}

/** Tells the reader of a request's body that the request was answered before its body ended, by other than that reader. */
const ANSWERED_EARLY = Symbol('answered before its body ended');

/**
 * Answers with `error` a request whose body is still arriving, from outside the reader of its
 * body (the 408 at REQUEST_TIMEOUT_MS): the reader is stopped and settled with the error, and the
 * connection closes as after the reader's own refusals. The connection goes on being read after
 * the answer, so a reader left listening would receive the rest of the body and run the request.
 */
export function answerBeforeBodyEnds(req: IncomingMessage, error: AppError): AppError {
  req.emit(ANSWERED_EARLY, error);
  return stopReading(req, req, error);
}

/** Has `stop` called when the request is answered by `answerBeforeBodyEnds`; returns how to stop listening. */
export function onAnsweredEarly(req: IncomingMessage, stop: (error: AppError) => void): () => void {
  req.once(ANSWERED_EARLY, stop);
  return () => void req.off(ANSWERED_EARLY, stop);
}

/**
 * How the connection of a request answered before its body ended goes on being read, and what comes
 * dropped, before it is closed: until the client has been silent for `idleMs`, or `maxBytes` more
 * have come (above the largest BODY_LIMIT_BYTES, so that a body just over any limit is read to its
 * end), or `maxMs` have passed, whichever comes first.
 */
export interface LingerLimits {
  idleMs: number;
  maxBytes: number;
  maxMs: number;
}

export const LINGER: Readonly<LingerLimits> = { idleMs: 2000, maxBytes: 16 * 1024 * 1024, maxMs: 30_000 };

/**
 * How often a lingering connection's bytes are counted. Node's parser reads them off the socket
 * itself and drops them unseen (a request whose body was never read is dumped, its bytes never
 * pushed), so no event tells of them: the socket's running count is compared instead.
 */
const LINGER_CHECK_MS = 100;

/** Connections closing as lingerWhenClosed has them: their sending side closed, what comes read and dropped. */
const lingering = new WeakSet<object>();

/** Connections whose close lingers (lingerWhenClosed), whether or not it has begun. */
const closesLingering = new WeakSet<object>();

/**
 * The request whose body stopReading left unread, by connection: the one to resume when the
 * connection lingers. Resuming the socket alone would not do: the paused request holds the parser,
 * which pauses the socket again at the first bytes of the body it cannot push.
 */
const bodyLeft = new WeakMap<object, IncomingMessage>();

/** Connections of a stopping api, with when the stop reached them (lingerBriefly). */
const stopping = new WeakMap<object, number>();

/**
 * The api is stopping: `socket` lingers at most `idleMs` past the later of now and the start of
 * its lingering. The stop waits for every connection to close, and a client trickling bytes would
 * otherwise hold it for the whole `maxMs` (30 s), as long as an orchestrator's usual grace before
 * it kills the process.
 */
export function lingerBriefly(socket: object): void {
  if (!stopping.has(socket)) stopping.set(socket, Date.now());
}

/** Whether the api closed `socket`'s sending side and reads on only to drop what still comes (lingerWhenClosed). */
export function isLingering(socket: object): boolean {
  return lingering.has(socket);
}

/**
 * The rest of `req`'s body, left unread (stopReading), is read and dropped when its connection
 * closes after the answer, which says `Connection: close`.
 */
function dropWhenClosed(req: IncomingMessage): void {
  const socket = req.socket as Socket | undefined;
  if (!socket) return;
  bodyLeft.set(socket, req);
  if (!closesLingering.has(socket)) lingerWhenClosed(socket);
}

/**
 * Has every close of `socket` that Node makes after an answer saying `Connection: close` go the way
 * RFC 9112 (9.6) asks: only the sending side is closed, and what the client still sends is read and
 * dropped until it closes its side or one of the `limits` is reached. Closed at once, the
 * connection would meet the client's next write with a reset, which makes the client lose the
 * answer it has not read yet: `EPIPE` for a client still sending a body the answer refused, and,
 * for one that pipelined requests after one that asked to close or after a refusal, the end of the
 * last answer (seen: 3.2 MB of a 4 MB transcript page, then ECONNRESET). Dropping for a fixed time
 * would do the same to a client still sending after it, one on a slow network; so the connection is
 * read on as long as bytes keep coming, and the bounds in bytes and time keep an endless body, or
 * one trickling in, from holding it. Requests read meanwhile are not begun (pipelined-requests.ts);
 * a body left unread (stopReading) is read on and dropped.
 */
export function lingerWhenClosed(socket: Socket, limits: Readonly<LingerLimits> = LINGER): void {
  closesLingering.add(socket);
  socket.destroySoon = function lingeringClose(this: Socket) {
    lingering.add(this);
    this.end();
    const startedAt = Date.now();
    const startBytes = this.bytesRead;
    let seenBytes = startBytes;
    let lastReadAt = startedAt;
    const check = setInterval(() => {
      const now = Date.now();
      if (this.bytesRead !== seenBytes) [seenBytes, lastReadAt] = [this.bytesRead, now];
      const stoppedAt = stopping.get(this);
      const stopEnds = stoppedAt !== undefined && now - Math.max(stoppedAt, startedAt) >= limits.idleMs;
      if (now - lastReadAt >= limits.idleMs || seenBytes - startBytes > limits.maxBytes || now - startedAt >= limits.maxMs || stopEnds) this.destroy();
    }, LINGER_CHECK_MS).unref();
    this.once('close', () => clearInterval(check));
    const body = bodyLeft.get(this);
    if (body !== undefined) body.resume();
    else readAgain(this);
  };
}

/** Node's own pause of a connection whose answers wait unsent (its `_paused` flag) is lifted, so that what comes is read. */
function readAgain(socket: Socket): void {
  const held = socket as Socket & { _paused?: boolean; parser?: { resume(): void } | null };
  if (held.destroyed) return;
  held._paused = false;
  held.parser?.resume();
  held.resume();
}

/**
 * What a compressed body may weigh as sent beyond the limit on its decoded bytes. Compression adds
 * a few bytes per block to what does not compress (zlib's deflateBound: about 0.03%) and gzip a
 * header and a trailer per member, far below this. A body heavier than that as sent decodes to less
 * than it weighs, which only padding does: gzip members or deflate blocks that decode to nothing,
 * 20 MB of which read as an empty body and then a start, so the limit never held on what was sent.
 */
export const COMPRESSION_FRAMING_BYTES = 64 * 1024;

/**
 * Holds `req`'s bytes as sent to what a body decoding to at most `decodedLimit` may take (the same
 * when sent as it is, COMPRESSION_FRAMING_BYTES more when compressed): `refuse` is called at once
 * with `announced` when Content-Length says more, and, compressed, with `compressed` as soon as more
 * has come. Answers the function that stops the watch.
 */
export function holdToSentLimit(
  req: Request,
  body: Readable,
  decodedLimit: number,
  refuse: (what: { announced: boolean }) => void,
): () => void {
  const sentLimit = body === req ? decodedLimit : decodedLimit + COMPRESSION_FRAMING_BYTES;
  // Content-Length counts the bytes as sent, compressed or not.
  if (Number(req.headers['content-length']) > sentLimit) {
    refuse({ announced: true });
    return () => undefined;
  }
  if (body === req) return () => undefined;
  let sent = 0;
  const onSent = (chunk: Buffer) => {
    sent += chunk.length;
    if (sent > sentLimit) refuse({ announced: false });
  };
  req.on('data', onSent);
  return () => req.off('data', onSent);
}

export function bodyTooLarge(what = 'request body'): AppError {
  return new AppError('BodyTooLarge', `${what} exceeds the size limit`);
}

/**
 * The whole body of a JSON, XML or form request, decoded by its Content-Encoding, of at most
 * `limitBytes` decoded bytes, and, compressed, of at most COMPRESSION_FRAMING_BYTES more as sent.
 * A body announced longer (Content-Length) is refused before any of it is read, and one that turns
 * out longer as it arrives, decoded or as sent, is refused as soon as it passes the limit: either
 * way the request is answered at once and its connection closed, rather than the body read to its
 * end first.
 */
export function readBody(req: Request, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let body: Readable;
    try {
      body = decodedBody(req);
    } catch (e) {
      return reject(e);
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      body.off('end', onEnd);
      offSent();
      req.off('close', onClose);
      offAnswered();
      outcome();
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) return settle(() => reject(stopReading(req, body, bodyTooLarge())));
      chunks.push(chunk);
    };
    let offSent: () => void = () => undefined;
    const onEnd = () => settle(() => resolve(Buffer.concat(chunks, received)));
    // A request closed before its body ended: the client gone, or cut off at REQUEST_TIMEOUT_MS.
    const onClose = () => {
      if (!req.readableEnded) settle(() => reject(bodyIncomplete()));
    };
    // The request's own errors (the connection reset) and the decoder's (bytes its Content-Encoding
    // cannot decode, mapped to 400-111); any that follow a settled read are of no interest.
    const onError = (e: unknown) => settle(() => reject(body !== req && e !== undefined && (e as { code?: unknown }).code !== 'ECONNRESET' ? toAppError(e).error : bodyIncomplete()));
    body.on('error', onError);
    const offAnswered = onAnsweredEarly(req, (error) => settle(() => reject(stopReading(req, body, error))));
    if (body !== req) req.on('error', () => settle(() => reject(bodyIncomplete())));
    offSent = holdToSentLimit(req, body, limitBytes, ({ announced }) =>
      settle(() => reject(stopReading(req, body, bodyTooLarge(announced ? undefined : 'compressed request body')))));
    if (settled) return;
    body.on('data', onData);
    body.once('end', onEnd);
    req.once('close', onClose);
  });
}

/** A request whose connection closed before its body ended. */
export function bodyIncomplete(): AppError {
  return new AppError('BodyMalformed', 'request body incomplete: the connection closed');
}
