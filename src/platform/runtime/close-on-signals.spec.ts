import type { INestApplication } from '@nestjs/common';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CLOSE_TIMEOUT_MS, SHUTDOWN_SIGNALS, closeOnSignals } from './close-on-signals';

const turn = () => new Promise((resolve) => setImmediate(resolve));

async function until(check: () => boolean, limitMs = 3000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > limitMs) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A real HTTP server under closeOnSignals, with an application whose close the test watches and
 * a process whose exit is recorded instead of taken. The signals are emitted to the process's
 * listeners, not sent.
 */
describe('closeOnSignals', () => {
  let server: Server;
  let port: number;
  let held: ServerResponse[];
  let events: string[];
  let error: jest.SpyInstance;
  let known: Map<string, ((...args: unknown[]) => void)[]>;
  const sockets: Socket[] = [];

  function app(close: () => Promise<void> = async () => void events.push('app closed')): INestApplication {
    return { getHttpServer: () => server, close } as unknown as INestApplication;
  }

  beforeAll(() => {
    // Never restored: a stop left running by a failed test would otherwise end the test run
    // itself, with its exit code. Jest gives each test file a process object of its own.
    jest.spyOn(process, 'exit').mockImplementation(((code?: number) => void events.push(`exit ${code}`)) as never);
  });

  beforeEach(async () => {
    held = [];
    events = [];
    known = new Map(SHUTDOWN_SIGNALS.map((s) => [s, process.listeners(s) as ((...args: unknown[]) => void)[]]));
    error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    // Every request is held until the test answers it.
    server = createServer((_req: IncomingMessage, res: ServerResponse) => void held.push(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    jest.useRealTimers();
    for (const socket of sockets.splice(0)) socket.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    for (const signal of SHUTDOWN_SIGNALS) {
      for (const listener of process.listeners(signal)) if (!known.get(signal)!.includes(listener as never)) process.off(signal, listener);
    }
    error.mockRestore();
  });

  async function opened(): Promise<Socket> {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.on('error', () => undefined);
    return socket;
  }

  const closedBy = (socket: Socket) => new Promise<void>((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve())));

  it('answers the request in flight, a second signal meanwhile changing nothing, then closes the application and exits 0', async () => {
    closeOnSignals(app());
    const answer = new Promise<{ status?: number; connection?: string; body: string }>((resolve, reject) => {
      request({ port, host: '127.0.0.1', path: '/slow' }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection, body }));
      }).on('error', reject).end();
    });
    answer.catch(() => undefined);
    await until(() => held.length === 1);

    process.emit('SIGTERM', 'SIGTERM');
    expect(events).toEqual([]);
    // Taking no connection any more.
    await expect(opened()).rejects.toThrow();
    process.emit('SIGINT', 'SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events).toEqual([]);

    held[0].end('done');
    // Come before the signal, it is answered with Connection: close all the same: its
    // connection ends with the answer instead of idling until keepAliveTimeout.
    expect(await answer).toEqual({ status: 200, connection: 'close', body: 'done' });
    await until(() => events.includes('exit 0'));
    expect(events).toEqual(['app closed', 'exit 0']);
  });

  it('answers every request pipelined on a connection, the last answer alone closing it', async () => {
    closeOnSignals(app());
    const socket = await opened();
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n');
    await until(() => held.length === 2);
    process.emit('SIGTERM', 'SIGTERM');
    held[0].end('a');
    held[1].end('b');
    await closedBy(socket);
    // An answer saying close before the last one ended the connection there, the next one lost.
    expect([...received.matchAll(/Connection: (\S+)/g)].map((m) => m[1])).toEqual(['keep-alive', 'close']);
    expect(received.endsWith('b')).toBe(true);
    await until(() => events.includes('exit 0'));
  });

  it('keeps nothing of a request never answered once its connection has closed', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    closeOnSignals(app());
    const socket = (await opened()).resume();
    // The second is read after an answer that closes the connection: never begun, never answered,
    // as pipelined-requests.ts leaves such a request (a client can send thousands after a 413).
    socket.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n');
    await until(() => held.length === 2);
    const unbegun = new WeakRef(held[1]);
    held[0].setHeader('Connection', 'close');
    held[0].end('a');
    held = [];
    await closedBy(socket);
    for (let i = 0; i < 5 && unbegun.deref() !== undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      gc();
    }
    expect({ released: unbegun.deref() === undefined }).toEqual({ released: true });
  });

  it('closes at once connections with no request being answered: idle, or with part of a request sent', async () => {
    closeOnSignals(app());
    const silent = await opened();
    const partial = await opened();
    partial.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));

    process.emit('SIGTERM', 'SIGTERM');
    await Promise.all([closedBy(silent), closedBy(partial)]);
    await until(() => events.includes('exit 0'));
    expect(events).toEqual(['app closed', 'exit 0']);
  });

  it('leaves no watchdog behind a stop that ended: nothing exits 1 CLOSE_TIMEOUT_MS later', async () => {
    closeOnSignals(app());
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    process.emit('SIGTERM', 'SIGTERM');
    for (let i = 0; i < 100 && !events.includes('exit 0'); i++) await turn();
    expect(events).toEqual(['app closed', 'exit 0']);
    jest.advanceTimersByTime(CLOSE_TIMEOUT_MS);
    expect(events).toEqual(['app closed', 'exit 0']);
    expect(error).not.toHaveBeenCalled();
  });

  it('exits 1 when closing the application fails', async () => {
    closeOnSignals(app(async () => Promise.reject(new Error('pool gone'))));
    process.emit('SIGTERM', 'SIGTERM');
    await until(() => events.length > 0);
    expect(events[0]).toBe('exit 1');
    expect(error.mock.calls.map(([line]) => JSON.parse(String(line)))).toEqual([expect.objectContaining({ msg: 'api shutdown failed', err: 'pool gone' })]);
  });

  it('masks what the failed close quotes, as every logged error (docs/operations.md, Logs)', async () => {
    closeOnSignals(app(async () => Promise.reject(new Error("Duplicate entry 'ada@example.com' for key 'ux_contact_point_key'"))));
    process.emit('SIGTERM', 'SIGTERM');
    await until(() => events.length > 0);
    expect(error.mock.calls.map(([line]) => JSON.parse(String(line)).err)).toEqual(["Duplicate entry '…' for key 'ux_contact_point_key'"]);
  });

  it('exits 1 when the application has not closed CLOSE_TIMEOUT_MS after the last answer', async () => {
    let closing = false;
    closeOnSignals(app(() => ((closing = true), new Promise<void>(() => undefined))));
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    process.emit('SIGTERM', 'SIGTERM');
    for (let i = 0; i < 100 && !closing; i++) await turn();
    expect(closing).toBe(true);
    jest.advanceTimersByTime(CLOSE_TIMEOUT_MS - 1);
    expect(events).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(events).toEqual(['exit 1']);
    expect(JSON.parse(String(error.mock.calls[0][0]))).toMatchObject({ msg: 'graceful shutdown took too long; exiting', timeoutMs: CLOSE_TIMEOUT_MS });
  });
});
