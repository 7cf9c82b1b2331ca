import type { Request } from 'express';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { AppError } from '../errors/app-error';
import { answerBeforeBodyEnds, type LingerLimits, lingerBriefly, lingerWhenClosed, readBody, stopReading } from './read-body';

const LIMITS: LingerLimits = { idleMs: 2000, maxBytes: 1_000_000, maxMs: 30_000 };

/** The socket of a connection answered before its body ended: what lingerWhenClosed uses of it. */
class AnsweredSocket extends EventEmitter {
  bytesRead = 500;
  ended = false;
  destroyed = false;
  end(): void {
    this.ended = true;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('close');
  }
  destroySoon(): void {
    throw new Error('replaced');
  }
}

/** Such a connection, once Node has sent the answer and asked for it to be closed. */
function answered(limits = LIMITS) {
  const { socket, req } = bodyLeftUnread(limits);
  socket.destroySoon();
  return { socket, req };
}

/** A connection whose close lingers, and a request on it whose body the api stopped reading. */
function bodyLeftUnread(limits = LIMITS) {
  const socket = new AnsweredSocket();
  const req = { socket, pause: jest.fn(), resume: jest.fn() };
  lingerWhenClosed(socket as unknown as Socket, limits);
  stopReading(req as unknown as IncomingMessage, req as unknown as Readable, new AppError('BodyTooLarge', 'request body exceeds the size limit'));
  return { socket, req };
}

/** The client sends `bytes` every `everyMs` for `forMs`. */
function sending(socket: { bytesRead: number }, bytes: number, everyMs: number, forMs: number): void {
  for (let t = 0; t < forMs; t += everyMs) {
    socket.bytesRead += bytes;
    jest.advanceTimersByTime(everyMs);
  }
}

describe('lingerWhenClosed', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('closes the sending side at once and reads on, dropping what comes, for as long as the body keeps coming', () => {
    const { socket, req } = answered();
    expect(socket.ended).toBe(true);
    expect(req.resume).toHaveBeenCalled();
    // 10 s of a slow body, 1 KB a second: never silent for the idle time.
    sending(socket, 1000, 1000, 10_000);
    expect(socket.destroyed).toBe(false);
  });

  it('closes once the client has been silent for the idle time', () => {
    const { socket } = answered();
    // The last bytes come 500 ms before sending ends.
    sending(socket, 1000, 500, 5000);
    jest.advanceTimersByTime(LIMITS.idleMs - 600);
    expect(socket.destroyed).toBe(false);
    jest.advanceTimersByTime(700);
    expect(socket.destroyed).toBe(true);
  });

  it('closes once more than the byte bound has come, however fast', () => {
    const { socket } = answered();
    sending(socket, LIMITS.maxBytes / 4, 100, 400);
    expect(socket.destroyed).toBe(false);
    sending(socket, 1, 100, 100);
    expect(socket.destroyed).toBe(true);
  });

  it('closes at the time bound though bytes keep trickling in', () => {
    const { socket } = answered();
    sending(socket, 1, 1000, LIMITS.maxMs - 1000);
    expect(socket.destroyed).toBe(false);
    sending(socket, 1, 1000, 1000);
    expect(socket.destroyed).toBe(true);
  });

  it('once the api stops, lingers at most the idle time more though bytes keep trickling in', () => {
    const { socket } = answered();
    sending(socket, 1, 500, 5000);
    lingerBriefly(socket);
    sending(socket, 1, 500, LIMITS.idleMs - 500);
    expect(socket.destroyed).toBe(false);
    sending(socket, 1, 500, 600);
    expect(socket.destroyed).toBe(true);
  });

  it('a connection the stop reached before it began lingering lingers the idle time from then', () => {
    const { socket } = bodyLeftUnread();
    lingerBriefly(socket);
    // Its last answer takes 5 s to be sent after the stop.
    jest.advanceTimersByTime(5000);
    socket.destroySoon();
    sending(socket, 1, 500, LIMITS.idleMs - 500);
    expect(socket.destroyed).toBe(false);
    sending(socket, 1, 500, 600);
    expect(socket.destroyed).toBe(true);
  });

  it('reads on a connection with no body left unread by lifting the pause Node keeps on it', () => {
    const socket = Object.assign(new AnsweredSocket(), { _paused: true, parser: { resume: jest.fn() }, resume: jest.fn() });
    lingerWhenClosed(socket as unknown as Socket, LIMITS);
    socket.destroySoon();
    expect(socket.ended).toBe(true);
    expect(socket._paused).toBe(false);
    expect(socket.parser.resume).toHaveBeenCalled();
    expect(socket.resume).toHaveBeenCalled();
  });

  it('keeps the limits its connection was given when a body is left unread on it', () => {
    const { socket, req } = answered({ ...LIMITS, idleMs: 300 });
    expect(req.resume).toHaveBeenCalled();
    jest.advanceTimersByTime(400);
    expect(socket.destroyed).toBe(true);
  });

  it('stops watching a connection the client closed', () => {
    const { socket } = answered();
    socket.emit('close');
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('answerBeforeBodyEnds', () => {
  /** A request announcing `body`, of which only the first half has come. */
  function halfSent(body: Buffer, encoding: string) {
    const socket = new AnsweredSocket();
    const req = Object.assign(new PassThrough(), { socket, headers: { 'content-length': String(body.length), 'content-encoding': encoding } });
    const read = readBody(req as unknown as Request, 1_000_000);
    const outcome = read.then(
      (bytes) => ({ bytes }),
      (error: AppError) => ({ error }),
    );
    const half = Math.floor(body.length / 2);
    req.write(body.subarray(0, half));
    return { req, socket, outcome, rest: body.subarray(half) };
  }

  it.each([
    ['identity', (text: string) => Buffer.from(text)],
    ['gzip', (text: string) => gzipSync(text)],
  ])('stops the reader (%s body), which gets nothing of what comes after the answer', async (encoding, encode) => {
    const { req, socket, outcome, rest } = halfSent(encode(`{"subject":"${'x'.repeat(1000)}"}`), encoding);
    await new Promise((r) => setImmediate(r));
    const answer = answerBeforeBodyEnds(req as unknown as IncomingMessage, new AppError('RequestTimeout', 'request body not received in time'));
    expect(answer.headers.Connection).toBe('close');
    // The rest of the body, read on after the answer while the connection lingers.
    socket.destroySoon();
    req.end(rest);
    await new Promise((r) => setImmediate(r));
    expect(await outcome).toEqual({ error: expect.objectContaining({ kind: 'RequestTimeout' }) });
    expect(socket.ended).toBe(true);
    socket.destroy();
  });
});
