import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ERROR_CATALOGUE, type ErrorKind } from '../src/platform/errors/error-catalogue';
import { parseXml } from '../src/platform/http/xml-codec';
import { clientOf, http, startDocument } from './support/client';
import { openConnection } from './support/api-pressure';
import { getOnNewConnection, sample } from './support/operations';
import { Stack, waitFor } from './support/stack';
import { expectError, settledRowCounts } from './support/ws-error';

/** Writes raw bytes on a fresh connection and reads until the server closes it. */
function exchange(baseUrl: string, request: string | Buffer): Promise<{ text: string; closed: boolean }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('utf8'), closed: false });
    }, 5000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text: Buffer.concat(chunks).toString('utf8'), closed: true });
    });
    socket.write(request);
  });
}

/** The one answer of an exchange: status, headers and its JSON body. */
function parseAnswer(text: string): { status: number; headers: Headers; body: any; text: string } {
  const [head, ...rest] = text.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = new Headers(lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()] as [string, string]));
  const body = rest.join('\r\n\r\n');
  return { status: Number(statusLine.split(' ')[1]), headers, body: headers.get('content-type')?.includes('json') ? JSON.parse(body) : body, text };
}

/** The answers of an exchange, in the order they came. */
function answersOf(text: string): ReturnType<typeof parseAnswer>[] {
  return text.split(/(?=HTTP\/1\.1 \d{3} )/).map(parseAnswer);
}

/** The one answer of an exchange the server ended: it says Connection: close, nothing follows it, and the connection is closed. */
function closingAnswer({ text, closed }: { text: string; closed: boolean }): ReturnType<typeof parseAnswer> {
  const [answer, ...more] = answersOf(text);
  expect(answer.headers.get('connection')).toBe('close');
  expect(more).toEqual([]);
  expect(closed).toBe(true);
  return answer;
}

/** Well below exchange's 5 s, which would find the connection still open at Node's default of 60 s. */
const HEADERS_TIMEOUT_MS = 2000;

/** The caching headers every answer of the API carries, a raw one as the others. */
const CACHING_HEADERS = ['cache-control', 'vary'];

/**
 * Requests that Node's HTTP parser refuses never reach the application's routes; they are
 * answered with a WSError all the same, the connection is closed, and the api stays up.
 */
describe('requests the HTTP parser cannot read', () => {
  let stack: Stack;
  let token: string;
  let lm: string;

  beforeAll(async () => {
    // At info, where request lines are written; headers not all received within 2 s are 408.
    stack = await Stack.start({ agentCapacity: 10, env: { LOG_LEVEL: 'info', HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS) } });
    ({ token, lm } = await clientOf(stack));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const path = '/system/ws/v19/clientapplications/messaging/configuration?entrypoint=1001';

  /** The answers counted, and timed, with those labels under the route (server). */
  const counted = async (labels: Record<string, string>) => {
    const { text } = await getOnNewConnection(`${stack.baseUrl}/metrics`);
    return ['http_requests_total', 'http_request_duration_seconds_count'].map((name) => sample(text, name, { route: '(server)', ...labels }) ?? 0);
  };
  /** The api's request line (completed, or errored for a 5xx) of the request with that id. */
  const requestLine = (id: string) =>
    waitFor(async () =>
      stack.api.output
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, any>)
        .find((l) => l.req?.id === id && /^request (completed|errored)$/.test(l.msg)),
    );
  const cases: [string, string, ErrorKind][] = [
    ['an unknown method', `FOO ${path} HTTP/1.1\r\nHost: x\r\n\r\n`, 'InvalidRequest'],
    ['a header line without a colon', `GET ${path} HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n`, 'InvalidRequest'],
    ['a Content-Length that is not a number', `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n`, 'InvalidRequest'],
    ['both Content-Length and Transfer-Encoding', `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, 'InvalidRequest'],
    // RFC 9112 (6.1, 6.3): chunked applied twice, or not the last coding, leaves the body's length unknown.
    ['chunked applied twice', `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n`, 'InvalidRequest'],
    ['a transfer coding without chunked', `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n0\r\n\r\n`, 'InvalidRequest'],
    ['a header value of 20 000 bytes', `GET ${path} HTTP/1.1\r\nHost: x\r\nX-Long: ${'a'.repeat(20000)}\r\n\r\n`, 'HeaderTooLarge'],
    ['3 000 headers', `GET ${path} HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 3000 }, (_, i) => `X-H${i}: 1\r\n`).join('')}\r\n`, 'HeaderTooLarge'],
  ];

  it.each(cases)('answers %s with a WSError and closes the connection', async (_name, request, kind) => {
    const { text, closed } = await exchange(stack.baseUrl, request);
    const answer = parseAnswer(text);
    expectError(answer, kind);
    expect(answer.body.userMessage).toEqual(expect.any(String));
    expect(answer.headers.get('connection')).toBe('close');
    expect(answer.headers.get('content-language')).toBe('en');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(closed).toBe(true);
    // The api is still up and answers the next request.
    const next = await http(`${stack.baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(next.status).toBe(200);
    // Uncacheable and said to vary as every other answer, whatever those headers hold.
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('vary')).toBe('Accept, Accept-Language');
    for (const name of CACHING_HEADERS) expect([name, answer.headers.get(name)]).toEqual([name, next.headers.get(name)]);
  });

  /** Sends a request, then a good one on the same connection: both answers, in order. */
  async function thenGood(request: string): Promise<ReturnType<typeof parseAnswer>[]> {
    const good = `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`;
    const { text } = await exchange(stack.baseUrl, request + good);
    return answersOf(text);
  }

  it('answers a request read whole before bytes that cannot be read, then refuses those and closes', async () => {
    const doc = JSON.stringify(startDocument(lm));
    const start = `POST /system/ws/v19/clientapplications/messaging/conversation/start?anonymousCustomer=yes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(doc)}\r\n\r\n${doc}`;
    const { text, closed } = await exchange(stack.baseUrl, `${start}not a request\r\n\r\n`);
    const [started, refused, ...more] = answersOf(text);
    expect(started.status).toBe(200);
    const [activity] = await stack.db.query('SELECT id FROM activity WHERE conversation_id = ?', [started.body.conversation.id]);
    expect(activity).toBeDefined();
    expectError(refused, 'InvalidRequest');
    expect(refused.headers.get('connection')).toBe('close');
    for (const name of CACHING_HEADERS) expect([name, refused.headers.get(name)]).toEqual([name, started.headers.get(name)]);
    expect(more).toEqual([]);
    expect(closed).toBe(true);
  });

  // Node forgets a connection's answer once it is sent: the refusal found no answer in flight
  // where it looked for one, threw, and the api exited, ending every client's requests with it.
  it.each([
    ['a line that is not a request', 'not a request\r\n\r\n', 'InvalidRequest'],
    ['headers not received in time', `GET ${path} HTTP/1.1\r\nHost: x\r\n`, 'RequestTimeout'],
  ] as [string, string, ErrorKind][])('refuses %s after an answer already sent on the connection, and stays up', async (_name, bytes, kind) => {
    const socket = await openConnection(stack);
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    // The whole first answer, by its Content-Length, before the bytes that follow it are sent.
    await waitFor(async () => {
      const end = text.indexOf('\r\n\r\n');
      return end >= 0 && Buffer.byteLength(text.slice(end + 4)) >= Number(/content-length: (\d+)/i.exec(text.slice(0, end))?.[1]);
    });
    socket.write(bytes);
    await closed;
    const [answered, refused, ...more] = answersOf(text);
    expect(answered.status).toBe(200);
    expectError(refused, kind);
    expect(refused.headers.get('connection')).toBe('close');
    expect(more).toEqual([]);
    expect(stack.api.child.exitCode).toBeNull();
    expect((await http(`${stack.baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it.each([
    ['an HTTP/1.1 request without Host', `GET ${path} HTTP/1.1\r\n\r\n`, 'InvalidRequest', 'Host'],
    ['an Expect other than 100-continue', `GET ${path} HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n`, 'ExpectationFailed', 'Expect'],
    ['two Host lines', `GET ${path} HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n`, 'InvalidRequest', 'Host'],
    ['two Authorization lines, the first a live token', `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer TOKEN\r\nauthorization: Bearer other\r\n\r\n`, 'InvalidRequest', 'Authorization'],
    ['two Content-Type lines, the first a supported one', `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}`, 'InvalidRequest', 'Content-Type'],
  ] as [string, string, ErrorKind, string][])('answers %s with a WSError and keeps the connection', async (_name, request, kind, details) => {
    const [refused, next] = await thenGood(request.replace('Bearer TOKEN', `Bearer ${token}`));
    expectError(refused, kind, details);
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    expect(next.status).toBe(200);
    for (const name of CACHING_HEADERS) expect([name, refused.headers.get(name)]).toEqual([name, next.headers.get(name)]);
    expect(refused.headers.get('cache-control')).toBe('no-store');
  });

  it.each([
    ['an HTTP/1.1 request without Host', `GET ${path} HTTP/1.1\r\nACCEPT\r\n\r\n`, 'InvalidRequest', 'Host'],
    ['an Expect other than 100-continue', `GET ${path} HTTP/1.1\r\nHost: x\r\nACCEPT\r\nExpect: teapot\r\n\r\n`, 'ExpectationFailed', 'Expect'],
    ['two Authorization lines', `GET ${path} HTTP/1.1\r\nHost: x\r\nACCEPT\r\nAuthorization: Bearer a\r\nAuthorization: Bearer b\r\n\r\n`, 'InvalidRequest', 'Authorization'],
    ['a transfer coding besides chunked', `POST ${path} HTTP/1.1\r\nHost: x\r\nACCEPT\r\nTransfer-Encoding: gzip, chunked\r\n\r\n`, 'UnsupportedTransferCoding', 'Transfer-Encoding'],
  ] as [string, string, ErrorKind, string][])('answers %s, a request whose headers were read, in the format and language they ask for', async (_name, request, kind, details) => {
    const asked = request.replace('ACCEPT', 'Accept: application/xml\r\nAccept-Language: fr');
    const [answer] = answersOf((await exchange(stack.baseUrl, asked.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'))).text);
    expect([answer.status, answer.headers.get('content-type'), answer.headers.get('content-language')]).toEqual([ERROR_CATALOGUE[kind].status, 'application/xml; charset=utf-8', 'fr']);
    const { root, content } = parseXml(answer.body);
    expect([root, (content as any).code, (content as any).details]).toEqual(['WSError', ERROR_CATALOGUE[kind].code, details]);
    // Without Accept, the same refusal is JSON, as every answer is.
    const [json] = answersOf((await exchange(stack.baseUrl, request.replace('ACCEPT\r\n', '').replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'))).text);
    expect([json.headers.get('content-type'), json.body.code, json.headers.get('content-language')]).toEqual(['application/json; charset=utf-8', ERROR_CATALOGUE[kind].code, 'en']);
    expect((content as any).userMessage).not.toBe(json.body.userMessage);
  });

  describe('transfer codings', () => {
    const startPath = '/system/ws/v19/clientapplications/messaging/conversation/start?anonymousCustomer=yes';
    const chunk = (bytes: Buffer) => Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]);
    const startHead = (transferEncoding: string, more = '') =>
      `POST ${startPath} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: ${transferEncoding}\r\n${more}Connection: close\r\n\r\n`;

    it.each(['gzip, chunked', 'deflate, chunked', 'br, chunked', 'identity, chunked', 'x-gzip,chunked', 'gzip\r\nTransfer-Encoding: chunked'])(
      'refuses Transfer-Encoding %j with 501 before the body ends, writes nothing and closes the connection',
      async (transferEncoding) => {
        const before = await settledRowCounts(stack);
        // The last chunk is never sent: the answer cannot wait for the body.
        const answer = closingAnswer(await exchange(stack.baseUrl, Buffer.concat([Buffer.from(startHead(transferEncoding)), chunk(gzipSync(JSON.stringify(startDocument(lm))))])));
        expectError(answer, 'UnsupportedTransferCoding', 'Transfer-Encoding');
        expect(answer.body.userMessage).toEqual(expect.any(String));
        expect(answer.headers.get('cache-control')).toBe('no-store');
        expect(await stack.rowCounts()).toEqual(before);
      },
    );

    it.each([
      ['chunked', 'Transfer-Encoding: chunked\r\n'],
      ['gzip, chunked', 'Transfer-Encoding: gzip, chunked\r\n'],
      ['an empty Transfer-Encoding and a Content-Length', 'Transfer-Encoding: \r\nContent-Length: 5\r\n'],
    ])('refuses an HTTP/1.0 request framed by %s as badly framed (400-150), writes nothing, reads no further and closes the connection', async (_name, framing) => {
      const before = await settledRowCounts(stack);
      const doc = Buffer.from(JSON.stringify(startDocument(lm)));
      // Kept alive and followed by a request that would be answered if the connection were read on.
      const head = `POST ${startPath} HTTP/1.0\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n${framing}Connection: keep-alive\r\n\r\n`;
      const next = `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`;
      const answer = closingAnswer(await exchange(stack.baseUrl, Buffer.concat([Buffer.from(head), chunk(doc), Buffer.from(`0\r\n\r\n${next}`)])));
      expectError(answer, 'InvalidRequest', 'Transfer-Encoding');
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(await stack.rowCounts()).toEqual(before);
    });

    it.each([
      ['chunked in any case', 'CHUNKED', ''],
      ['chunked with spaces around it', ' Chunked ', ''],
      ['chunked after an empty list element', ', chunked', ''],
      ['chunked with a gzip Content-Encoding', 'chunked', 'Content-Encoding: gzip\r\n'],
    ])('reads a body framed with %s', async (_name, transferEncoding, more) => {
      const doc = Buffer.from(JSON.stringify(startDocument(lm)));
      const body = more.includes('gzip') ? gzipSync(doc) : doc;
      const { text } = await exchange(stack.baseUrl, Buffer.concat([Buffer.from(startHead(transferEncoding, more)), chunk(body), Buffer.from('0\r\n\r\n')]));
      const answer = parseAnswer(text);
      expect([answer.status, answer.body.conversation?.state]).toEqual([200, 'waiting']);
    });
  });

  describe('logs and metrics', () => {
    it.each([
      ['an unknown method', `FOO ${path} HTTP/1.1\r\nHost: x\r\nX-Forged: "}{"msg":"forged\r\n\r\n`, 400, '(unknown)', '(unknown)', 'HPE_INVALID_METHOD'],
      ['a header line without a colon', `GET ${path} HTTP/1.1\r\nHost: x\r\nX-Forged "}{"msg":"forged\r\n\r\n`, 400, '(unknown)', '(unknown)', 'HPE_INVALID_HEADER_TOKEN'],
      ['a Content-Length that is not a number', `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: forged\r\n\r\n`, 400, '(unknown)', '(unknown)', 'HPE_INVALID_CONTENT_LENGTH'],
      ['headers over the limit', `GET ${path} HTTP/1.1\r\nHost: x\r\nX-Long: ${'a'.repeat(20000)}\r\n\r\n`, 431, '(unknown)', '(unknown)', 'HPE_HEADER_OVERFLOW'],
      ['an HTTP/1.1 request without Host', `GET ${path} HTTP/1.1\r\nConnection: close\r\n\r\n`, 400, 'GET', path, undefined],
      ['two Host lines', `GET ${path} HTTP/1.1\r\nHost: x\r\nHost: y\r\nConnection: close\r\n\r\n`, 400, 'GET', path, undefined],
      ['an Expect other than 100-continue', `GET ${path} HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\nConnection: close\r\n\r\n`, 417, 'GET', path, undefined],
      ['a transfer coding besides chunked', `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n`, 501, 'POST', path, undefined],
      ['an HTTP/1.0 request with Transfer-Encoding', `POST ${path} HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, 400, 'POST', path, undefined],
    ] as [string, string, number, string, string, string | undefined][])('logs one request line for %s and counts it under the route (server)', async (_name, request, status, method, url, clientError) => {
      const labels = { method, status: String(status) };
      const before = await counted(labels);
      const { text } = await exchange(stack.baseUrl, request);
      const answer = parseAnswer(text);
      expect(answer.status).toBe(status);
      const id = answer.headers.get('x-request-id')!;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const line = await requestLine(id);
      expect(line).toMatchObject({ level: 30, correlationId: id, req: { id, method, url }, res: { statusCode: status, headers: expect.objectContaining({ 'x-request-id': id, 'content-type': 'application/json; charset=utf-8' }) } });
      expect(line.responseTime).toEqual(expect.any(Number));
      // Why Node refused bytes it could not read: the code of its error, and nothing of the bytes.
      expect(line.clientError).toBe(clientError);
      expect(stack.api.output.filter((l) => l.includes(`"${id}"`))).toHaveLength(1);
      // Nothing the client sent in a request that could not be read reaches the log.
      expect(stack.api.output.join('\n')).not.toContain('forged');
      expect(await counted(labels)).toEqual(before.map((n) => n + 1));
    });
  });

  describe('a request not received in time', () => {
    it.each([
      ['a request line cut short', 'GET /system/ws/v19/clientapp'],
      ['headers without the blank line that ends them', `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer `],
    ])('answers %s 408 with a WSError after HEADERS_TIMEOUT_MS, closes the connection, logs and counts it', async (_name, partial) => {
      const labels = { method: '(unknown)', status: '408' };
      const before = await counted(labels);
      const exchanged = await exchange(stack.baseUrl, partial);
      const answer = closingAnswer(exchanged);
      expect(exchanged.text.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
      expectError(answer, 'RequestTimeout');
      expect(answer.body.userMessage).toEqual(expect.any(String));
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('vary')).toBe('Accept, Accept-Language');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      const id = answer.headers.get('x-request-id')!;
      const line = await requestLine(id);
      expect(line).toMatchObject({ correlationId: id, clientError: 'ERR_HTTP_REQUEST_TIMEOUT', req: { id, method: '(unknown)', url: '(unknown)' }, res: { statusCode: 408 } });
      expect(await counted(labels)).toEqual(before.map((n) => n + 1));
    });
  });
});
