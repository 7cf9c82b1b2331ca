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
  lingerOnClose(req);
  return new AppError(error.kind, error.developerMessage, error.details, error.args, { ...error.headers, Connection: 'close' });
}

/** How long the connection of a request answered before its body ended is still read, and dropped, before it is closed. */
export const LINGER_MS = 2000;

/**
 * Has the connection of a request answered before its body ended close the way RFC 9112 (9.6)
 * asks: once the answer is sent (Node then calls `destroySoon`, the answer saying
 * `Connection: close`), only the sending side is closed, and what the client still sends is read
 * and dropped until it closes its side or `LINGER_MS` passes. Closed at once, the connection would
 * meet the client's next write with a reset, which makes the client lose the answer it has not
 * read yet (`EPIPE` while it still sends the body); left open, an endless body would hold it.
 */
function lingerOnClose(req: IncomingMessage): void {
  const socket = req.socket as Socket | undefined;
  if (!socket) return;
  socket.destroySoon = function lingeringClose(this: Socket) {
    this.end();
    const timer = setTimeout(() => this.destroy(), LINGER_MS);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
    req.resume();
  };
}

export function bodyTooLarge(what = 'request body'): AppError {
  return new AppError('BodyTooLarge', `${what} exceeds the size limit`);
}

/**
 * The whole body of a JSON, XML or form request, decoded by its Content-Encoding, of at most
 * `limitBytes` decoded bytes. A body announced longer (Content-Length) is refused before any
 * of it is read, and one that turns out longer as it arrives is refused as soon as it passes the
 * limit: either way the request is answered at once and its connection closed, rather than the
 * body read to its end first.
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
      req.off('close', onClose);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) return settle(() => reject(stopReading(req, body, bodyTooLarge())));
      chunks.push(chunk);
    };
    const onEnd = () => settle(() => resolve(Buffer.concat(chunks, received)));
    // A request closed before its body ended: the client gone, or cut off at REQUEST_TIMEOUT_MS.
    const onClose = () => {
      if (!req.readableEnded) settle(() => reject(bodyIncomplete()));
    };
    // The request's own errors (the connection reset) and the decoder's (bytes its Content-Encoding
    // cannot decode, mapped to 400-111); any that follow a settled read are of no interest.
    const onError = (e: unknown) => settle(() => reject(body !== req && e !== undefined && (e as { code?: unknown }).code !== 'ECONNRESET' ? toAppError(e).error : bodyIncomplete()));
    body.on('error', onError);
    if (body !== req) req.on('error', () => settle(() => reject(bodyIncomplete())));
    const announced = body === req ? Number(req.headers['content-length']) : NaN;
    if (announced > limitBytes) return settle(() => reject(stopReading(req, body, bodyTooLarge())));
    body.on('data', onData);
    body.once('end', onEnd);
    req.once('close', onClose);
  });
}

/** A request whose connection closed before its body ended. */
export function bodyIncomplete(): AppError {
  return new AppError('BodyMalformed', 'request body incomplete: the connection closed');
}
