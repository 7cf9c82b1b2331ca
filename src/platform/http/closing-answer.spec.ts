import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closesConnection } from './closing-answer';

/** Whether closesConnection says `res` closes the connection, once its head is sent. */
async function closesAfter(answer: (res: ServerResponse) => void, headers: Record<string, string> = {}): Promise<{ before: boolean; after: boolean }> {
  let seen: { before: boolean; after: boolean } | undefined;
  const server = createServer((_req, res) => {
    const before = closesConnection(res);
    answer(res);
    seen = { before, after: res.headersSent && closesConnection(res) };
    res.end('x');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    await new Promise<void>((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', headers, agent: false }, (res) => res.resume().on('end', resolve));
      req.on('error', reject).end();
    });
  } finally {
    server.close();
    server.closeAllConnections();
  }
  return seen!;
}

describe('closesConnection', () => {
  it('tells an answer saying Connection: close, once its head is sent, from one that keeps the connection', async () => {
    expect(await closesAfter((res) => res.writeHead(200, { Connection: 'close' }).flushHeaders())).toEqual({ before: false, after: true });
    expect(await closesAfter((res) => res.writeHead(200).flushHeaders(), { Connection: 'keep-alive' })).toEqual({ before: false, after: false });
  });

  it('tells an answer Node closes by itself, its request having asked to close', async () => {
    expect(await closesAfter((res) => res.writeHead(200).flushHeaders(), { Connection: 'close' })).toEqual({ before: false, after: true });
  });
});
