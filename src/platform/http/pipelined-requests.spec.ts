import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { arrivalOf } from './arrival';
import { boundPipelinedRequests } from './pipelined-requests';

/** A server whose answers wait until the test ends them; it counts the requests worked on at once. */
function heldServer(limit: number) {
  const held: ServerResponse[] = [];
  const seen = { atOnce: 0, most: 0, handled: 0 };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.handled += 1;
    seen.atOnce += 1;
    seen.most = Math.max(seen.most, seen.atOnce);
    res.on('finish', () => (seen.atOnce -= 1));
    // Each request's body is read in full before it is answered, as the api's are.
    req.resume();
    req.on('end', () => held.push(res));
  });
  boundPipelinedRequests(server, limit, (res) => res.writeHead(503).end());
  return { server, held, seen };
}

async function listening(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

/** The paths of the answers received on `socket`, in order (each answer's body is its request's path). */
function bodies(socket: Socket): string[] {
  const got: string[] = [];
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
    for (let m = /\r\n\r\n(\/\w+)/.exec(text); m !== null; m = /\r\n\r\n(\/\w+)/.exec(text)) {
      got.push(m[1]);
      text = text.slice(m.index + 4 + m[1].length);
    }
  });
  return got;
}

describe('boundPipelinedRequests', () => {
  let server: Server | undefined;
  let socket: Socket | undefined;

  afterEach(async () => {
    socket?.destroy();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('works on at most `limit` requests of a connection at once, the others answered after, in order', async () => {
    const held = heldServer(2);
    server = held.server;
    socket = connect(await listening(server), '127.0.0.1');
    const got = bodies(socket);
    const paths = Array.from({ length: 10 }, (_, i) => `/r${i}`);
    // Some with a body, which the request waiting at the limit has yet to receive.
    socket.write(paths.map((p, i) => `POST ${p} HTTP/1.1\r\nHost: a\r\nContent-Length: ${i}\r\n\r\n${'x'.repeat(i)}`).join(''));
    await until(() => held.held.length === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(held.seen.handled).toBe(2);

    while (got.length < paths.length) {
      await until(() => held.held.length > 0);
      const res = held.held.shift()!;
      res.end(res.req.url);
      await until(() => got.length > 0 && got.at(-1) === res.req.url);
    }
    expect({ most: held.seen.most, got }).toEqual({ most: 2, got: paths });
  });

  it('goes on reading the connection once the requests waiting are answered', async () => {
    const held = heldServer(1);
    server = held.server;
    socket = connect(await listening(server), '127.0.0.1');
    const got = bodies(socket);
    socket.write('GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n');
    await until(() => held.held.length === 1);
    held.held.shift()!.end('/a');
    await until(() => held.held.length === 1);
    held.held.shift()!.end('/b');
    socket.write('GET /c HTTP/1.1\r\nHost: a\r\n\r\n');
    await until(() => held.held.length === 1);
    held.held.shift()!.end('/c');
    await until(() => got.length === 3);
    expect(got).toEqual(['/a', '/b', '/c']);
  });

  it('marks a request waiting its turn as arrived when it was read, not when it is begun (its latency counts the wait)', async () => {
    const held = heldServer(1);
    server = held.server;
    socket = connect(await listening(server), '127.0.0.1');
    const got = bodies(socket);
    socket.write('GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n');
    await until(() => held.held.length === 1);
    await new Promise((r) => setTimeout(r, 20));
    const firstAnswered = process.hrtime.bigint();
    held.held.shift()!.end('/a');
    await until(() => held.held.length === 1);
    const second = held.held.shift()!;
    second.end('/b');
    await until(() => got.length === 2);
    expect(arrivalOf(second.req) < firstAnswered ? 'read with the first' : 'begun after it').toBe('read with the first');
  });

  it('never works on the requests still waiting when the api closes their connection (a stalled one, say)', async () => {
    const held = heldServer(1);
    server = held.server;
    socket = connect(await listening(server), '127.0.0.1');
    socket.write('GET /a HTTP/1.1\r\nHost: a\r\n\r\n'.repeat(3));
    await until(() => held.held.length === 1);
    const first = held.held.shift()!;
    const closed = new Promise((resolve) => first.on('close', resolve));
    first.req.socket.destroy();
    await closed;
    await new Promise((r) => setTimeout(r, 50));
    expect(held.seen.handled).toBe(1);
  });
});
