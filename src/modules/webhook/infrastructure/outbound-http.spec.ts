import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postOnce } from './outbound-http';

describe('postOnce', () => {
  let server: Server;
  let url: string;
  /** Requests that reached the target of a redirect. */
  let followed = 0;

  beforeAll(async () => {
    // A receiver that answers 200 and then streams its body without end.
    server = createServer((req, res) => {
      req.resume();
      if (req.url === '/moved') {
        res.writeHead(302, { location: '/elsewhere' });
        res.end();
        return;
      }
      if (req.url === '/elsewhere') {
        followed++;
        res.writeHead(200);
        res.end();
        return;
      }
      if (req.url === '/stalled') {
        // 200, a little of the body, then nothing more.
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('ok');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'x'.repeat(64 * 1024);
      const timer = setInterval(() => res.write(chunk), 5);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });

  it('reads an answer only up to its cap: an endless body is cut off, not read until the timeout', async () => {
    const started = Date.now();
    const res = await postOnce(url, { 'content-type': 'application/json' }, '{}', { timeoutMs: 3000, blockPrivateAddresses: false, maxAnswerBytes: 1000 });
    expect(res).toEqual({ status: 200, text: 'x'.repeat(1000), truncated: true });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a body stalled past the timeout: the answer still counts when the caller ignores bodies, a timeout when it reads them', async () => {
    const stalled = url.replace('/hook', '/stalled');
    const options = { timeoutMs: 300, blockPrivateAddresses: false };
    expect(await postOnce(stalled, {}, '{}', { ...options, bodyIgnored: true })).toEqual({ status: 200, text: '', truncated: true });
    expect(await postOnce(stalled, {}, '{}', options)).toEqual({ kind: 'timeout' });
  });

  it('a network error quotes no credentials nor query string of the URL: the result is logged', async () => {
    const result = await postOnce(url.replace('http://', 'http://hooks:s3cr3t@') + '?token=abc', {}, 'x', { timeoutMs: 2000, blockPrivateAddresses: false });
    expect(result).toEqual({ kind: 'network', detail: expect.stringContaining('http://…@127.0.0.1') });
    expect(JSON.stringify(result)).not.toMatch(/s3cr3t|abc/);
  });

  it('does not follow a redirect: the 3xx is the answer, and its target is not called', async () => {
    const res = await postOnce(url.replace('/hook', '/moved'), {}, '{}', { timeoutMs: 3000, blockPrivateAddresses: false });
    expect(res).toMatchObject({ status: 302 });
    expect(followed).toBe(0);
  });
});
