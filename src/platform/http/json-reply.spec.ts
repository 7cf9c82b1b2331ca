import { StreamableFile } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import express, { type Request, type Response } from 'express';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { DirectJsonExpressAdapter } from './json-reply';

/** An answer as the client reads it: every byte, the status line and headers included. */
function rawAnswer(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
}

interface Case {
  body: () => unknown;
  status?: number;
  before?: (req: Request, res: Response) => void;
}

const LONG = { items: Array.from({ length: 120 }, (_, i) => ({ id: i, name: `naïve ☃ ${i}` })) };
const CASES: Record<string, Case> = {
  small: { body: () => ({ conversation: { id: '42', link: [{ rel: 'self', href: '/x' }] } }) },
  long: { body: () => LONG },
  created: { body: () => ({ ok: true }), status: 201 },
  array: { body: () => [1, 'two', null] },
  unicode: { body: () => ({ text: '\u2028 é 😀 "quoted" </script>' }) },
  toJsonUndefined: { body: () => ({ toJSON: () => undefined }) },
  noContent: { body: () => ({ gone: true }), status: 204 },
  resetContent: { body: () => ({ reset: true }), status: 205 },
  typed: { body: () => ({ typed: true }), before: (_req, res) => res.type('application/vnd.test+json') },
  text: { body: () => '<conversation/>', before: (_req, res) => res.type('application/xml') },
  plainText: { body: () => 'plain' },
  nothing: { body: () => undefined },
  error: { body: () => new Error('no'), status: 500 },
  stream: { body: () => new StreamableFile(Readable.from([Buffer.from('bytes')])) },
  chunked: { body: () => ({ chunked: true }), before: (_req, res) => res.setHeader('Transfer-Encoding', 'chunked') },
  sendReplaced: {
    body: () => ({ replaced: true }),
    before: (_req, res) => {
      const send = res.send.bind(res);
      res.send = (b?: unknown) => send(typeof b === 'string' ? b.toUpperCase() : b);
    },
  },
};

async function serve(adapter: ExpressAdapter, settings: Record<string, unknown>): Promise<{ port: number; close: () => void }> {
  const app = express();
  app.set('etag', false);
  for (const [name, value] of Object.entries(settings)) app.set(name, value);
  app.all('/:name', (req, res) => {
    res.sendDate = false;
    const c = CASES[String(req.params.name)];
    c.before?.(req, res);
    adapter.reply(res, c.body(), c.status);
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

describe('DirectJsonExpressAdapter.reply', () => {
  const requests = (name: string) => [
    `POST /${name} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
    `GET /${name} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    `HEAD /${name} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    `GET /${name} HTTP/1.1\r\nHost: x\r\nIf-None-Match: *\r\nConnection: close\r\n\r\n`,
    `GET /${name} HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: Tue, 08 Dec 2026 04:00:00 GMT\r\nConnection: close\r\n\r\n`,
  ];

  it.each([
    ['default settings', {}],
    ['an ETag, spaces, a replacer or escaping', { etag: true, 'json spaces': 2, 'json replacer': (_k: string, v: unknown) => v, 'json escape': true }],
  ])('answers every byte as Nest through res.json does, with %s', async (_label, settings) => {
    const nest = await serve(new ExpressAdapter(), settings);
    const direct = await serve(new DirectJsonExpressAdapter(), settings);
    try {
      for (const name of Object.keys(CASES)) {
        for (const request of requests(name)) {
          const expected = await rawAnswer(nest.port, request);
          expect(expected).toMatch(/^HTTP\/1\.1 \d{3}/);
          expect([name, request, await rawAnswer(direct.port, request)]).toEqual([name, request, expected]);
        }
      }
    } finally {
      nest.close();
      direct.close();
    }
  });

  it('writes a document itself, without res.json', async () => {
    const json = jest.spyOn(express.response, 'json');
    const direct = await serve(new DirectJsonExpressAdapter(), {});
    try {
      const answer = await rawAnswer(direct.port, requests('long')[0]);
      expect(json).not.toHaveBeenCalled();
      const body = JSON.stringify(LONG);
      expect(answer).toContain(`Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`);
      expect(answer.endsWith(Buffer.from(body).toString('latin1'))).toBe(true);
    } finally {
      direct.close();
      json.mockRestore();
    }
  });
});
