import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { type LingerLimits, lingerOnClose } from './read-body';

const LIMITS: LingerLimits = { idleMs: 2000, maxBytes: 1_000_000, maxMs: 30_000 };

/** The socket of a connection answered before its body ended: what lingerOnClose uses of it. */
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
  const socket = new AnsweredSocket();
  const req = { socket, resume: jest.fn() };
  lingerOnClose(req as unknown as IncomingMessage, limits);
  socket.destroySoon();
  return { socket, req };
}

/** The client sends `bytes` every `everyMs` for `forMs`. */
function sending(socket: { bytesRead: number }, bytes: number, everyMs: number, forMs: number): void {
  for (let t = 0; t < forMs; t += everyMs) {
    socket.bytesRead += bytes;
    jest.advanceTimersByTime(everyMs);
  }
}

describe('lingerOnClose', () => {
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

  it('stops watching a connection the client closed', () => {
    const { socket } = answered();
    socket.emit('close');
    expect(jest.getTimerCount()).toBe(0);
  });
});
