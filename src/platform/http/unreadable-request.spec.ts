import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { PassThrough } from 'node:stream';
import { ERROR_CATALOGUE } from '../errors/error-catalogue';
import type { Localizer } from '../i18n/localizer';
import { answerUnreadableRequests, UNKNOWN } from './unreadable-request';

const localizer = { defaultLanguage: 'en', message: (kind: string) => `message of ${kind}` } as unknown as Localizer;

interface Watched {
  method?: string;
  url?: string;
  id: unknown;
  status: number;
  headers: Record<string, unknown>;
  finished: boolean;
  clientError?: string;
}

async function refuse(code: string | undefined, socketState: { writable?: boolean; headersSent?: boolean } = {}): Promise<{ written: string; destroyed: boolean; watched: Watched[] }> {
  const server = new EventEmitter();
  const watched: Watched[] = [];
  answerUnreadableRequests(server as Server, localizer, { 'X-Content-Type-Options': 'nosniff' }, (req, res, clientError) => {
    const seen: Watched = { method: req.method, url: req.url, id: req.id, status: res.statusCode, headers: res.getHeaders(), finished: false, clientError };
    watched.push(seen);
    res.once('finish', () => (seen.finished = res.writableEnded));
  });
  const socket = new PassThrough();
  let written = '';
  socket.on('data', (c: Buffer) => (written += c.toString()));
  if (socketState.writable === false) socket.end();
  if (socketState.headersSent !== undefined) Object.assign(socket, { _httpMessage: { headersSent: socketState.headersSent } });
  server.emit('clientError', Object.assign(new Error(code), { code }), socket);
  await new Promise((resolve) => setImmediate(resolve));
  return { written, destroyed: socket.destroyed, watched };
}

describe('answerUnreadableRequests', () => {
  it.each([
    ['HPE_INVALID_METHOD', 'InvalidRequest'],
    ['HPE_HEADER_OVERFLOW', 'HeaderTooLarge'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 'RequestTimeout'],
    ['HPE_CHUNK_EXTENSIONS_OVERFLOW', 'BodyTooLarge'],
  ] as const)('answers %s as %s with a JSON WSError and closes the connection', async (code, kind) => {
    const { written, destroyed, watched } = await refuse(code);
    const { status, code: wsCode } = ERROR_CATALOGUE[kind];
    const [head, body] = written.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(head).toContain('Connection: close');
    expect(head).toContain('X-Content-Type-Options: nosniff');
    expect(head).toContain('Cache-Control: no-store');
    expect(head).toContain('Vary: Accept, Accept-Language');
    expect(head).toContain('Content-Language: en');
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
    expect(JSON.parse(body)).toEqual({ code: wsCode, developerMessage: expect.any(String), userMessage: `message of ${kind}` });
    expect(destroyed).toBe(true);
    // Shown, once sent, as a request of unknown method and path under the id the answer carries.
    const id = head.match(/^X-Request-Id: (.+)$/m)?.[1];
    expect(watched).toEqual([{ method: UNKNOWN, url: UNKNOWN, id, status, headers: expect.objectContaining({ 'x-request-id': id, connection: 'close' }), finished: true, clientError: code }]);
  });

  it('tells why Node refused the bytes by its error code alone, and only by a code of its shape', async () => {
    expect((await refuse('HPE_INVALID_HEADER_TOKEN')).watched).toEqual([expect.objectContaining({ status: 400, clientError: 'HPE_INVALID_HEADER_TOKEN' })]);
    for (const code of [undefined, 'Bad Header: "}{"msg":"forged', 'hpe_lower_case', `HPE_${'A'.repeat(64)}`]) {
      const { watched } = await refuse(code);
      expect(watched).toEqual([expect.objectContaining({ status: 400, clientError: undefined })]);
    }
  });

  it('writes nothing on a connection reset by the client, or once another answer has begun', async () => {
    expect(await refuse('ECONNRESET')).toEqual({ written: '', destroyed: true, watched: [] });
    expect(await refuse('HPE_INVALID_METHOD', { headersSent: true })).toEqual({ written: '', destroyed: true, watched: [] });
  });
});
