import de from '../src/i18n/de/errors.json';
import en from '../src/i18n/en/errors.json';
import es from '../src/i18n/es/errors.json';
import fr from '../src/i18n/fr/errors.json';
import { ERROR_CATALOGUE } from '../src/platform/errors/error-catalogue';
import { LINGER } from '../src/platform/http/read-body';
import { toXml } from '../src/platform/http/xml-codec';
import { connect } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { clientOf, http, rawStart, start, startDocument, uploadInPieces } from './support/client';
import { Stack } from './support/stack';
import { expectError, expectRefused, expectStartRefused, settledRowCounts, startOk } from './support/ws-error';

const BODY_LIMIT = 8192;

/**
 * Start requests refused for their form rather than their content: body size, content
 * type, content negotiation; and how errors are rendered (XML, localized user messages).
 * Each refusal has its own code and writes nothing.
 */
describe('start conversation: size, content type, negotiation and error rendering', () => {
  let stack: Stack;
  let token: string;
  let lm: string;
  let anonymous: Record<string, unknown>;

  beforeAll(async () => {
    stack = await Stack.start({ env: { BODY_LIMIT_BYTES: String(BODY_LIMIT) }, agentCapacity: 100 });
    ({ token, lm } = await clientOf(stack));
    anonymous = startDocument(lm);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const raw = (body: string | FormData | Uint8Array, contentType: string | undefined, query?: string, headers?: Record<string, string>) => rawStart(stack, token, body, contentType, query, headers);

  describe('size (413)', () => {
    // Whitespace pads a valid document to any size: the limit is on bytes, whatever they hold.
    const padded = (text: string, size: number) => text.replace(/^(.)/, (c) => c + ' '.repeat(size - text.length));

    it('accepts a JSON body of exactly the limit and refuses one byte more', async () => {
      const json = JSON.stringify(anonymous);
      await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: padded(json, BODY_LIMIT), headers: { 'Content-Type': 'application/json' } });
      await expectRefused(stack, () => raw(padded(json, BODY_LIMIT + 1), 'application/json'), 'BodyTooLarge');
    });

    it('refuses an XML body over the limit', async () => {
      const xml = toXml('conversation', anonymous).replace('<conversation>', `<conversation>${' '.repeat(BODY_LIMIT)}`);
      await expectRefused(stack, () => raw(xml, 'application/xml'), 'BodyTooLarge');
    });

    it('accepts a multipart part of exactly the limit and refuses one byte more', async () => {
      const json = JSON.stringify(anonymous);
      const form = (size: number) => {
        const f = new FormData();
        f.append('conversation', new Blob([padded(json, size)], { type: 'application/json' }), 'c.json');
        return f;
      };
      await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: form(BODY_LIMIT) });
      await expectRefused(stack, () => raw(form(BODY_LIMIT + 1), undefined), 'BodyTooLarge');
    });

    it('refuses a multipart form field over the limit', async () => {
      const f = new FormData();
      f.append('conversation', JSON.stringify(anonymous) + ' '.repeat(BODY_LIMIT));
      await expectRefused(stack, () => raw(f, undefined), 'BodyTooLarge');
    });

    // Empty gzip members decode to nothing: 2 MB of them and then a start decoded to a start
    // within the limit, which the limit on decoded bytes alone let through.
    it('refuses a compressed body heavier as sent than the limit and its compression framing, whatever it decodes to', async () => {
      const empty = gzipSync(Buffer.alloc(0));
      const padding = Buffer.concat(Array.from({ length: Math.ceil((2 * 1024 * 1024) / empty.length) }, () => empty));
      const json = JSON.stringify(anonymous);
      const form = `--b0undary\r\nContent-Disposition: form-data; name="conversation"\r\nContent-Type: application/json\r\n\r\n${json}\r\n--b0undary--\r\n`;
      await expectRefused(stack, () => raw(Buffer.concat([padding, gzipSync(json)]), 'application/json', undefined, { 'Content-Encoding': 'gzip' }), 'BodyTooLarge');
      await expectRefused(stack, () => raw(Buffer.concat([padding, gzipSync(form)]), 'multipart/form-data; boundary=b0undary', undefined, { 'Content-Encoding': 'gzip' }), 'BodyTooLarge');
      await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: gzipSync(json), headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' } });
    });

    it('refuses a much larger body without reading it all', async () => {
      await expectRefused(stack, () => raw(padded(JSON.stringify(anonymous), 2 * 1024 * 1024), 'application/json'), 'BodyTooLarge');
    });

    // Answered before its body ended, the connection is closed on the sending side only and what
    // still comes is dropped for a while: closed outright, it met the client's next write with a
    // reset, and the client lost the 413 to `EPIPE` while it was still sending the body.
    it('lets a client still sending a large body read its 413', async () => {
      const big = padded(JSON.stringify(anonymous), 32 * 1024 * 1024);
      for (let i = 0; i < 3; i++) await expectRefused(stack, () => raw(big, 'application/json'), 'BodyTooLarge');
    });

    /**
     * Sends a start announcing a body of `chunks` times 64 KiB and sends it 64 KiB every 100 ms, reading
     * nothing until all of it is written, as a client that sends its whole request before it reads
     * does; resolves with what it then reads, or with the error one of its writes met.
     */
    function slowUpload(chunks: number): Promise<{ text: string; writeError?: string }> {
      return uploadInPieces(stack, token, 'application/json', Array.from({ length: chunks }, () => Buffer.alloc(64 * 1024, ' ')), 100);
    }

    // A client on a slow network is still sending its body seconds after the 413 came: the
    // connection is read on, and what comes dropped, as long as the body keeps coming (up to a
    // bound), so that no reset meets its writes and takes the answer it has not read yet.
    it('lets a client that sends its whole body, slowly, before it reads, read its 413', async () => {
      const before = await settledRowCounts(stack);
      // 40 chunks: 4 s of sending, twice as long as a fixed 2 s of dropping.
      const { text, writeError } = await slowUpload(40);
      expect(writeError).toBeUndefined();
      const [head, payload] = text.split('\r\n\r\n');
      expectError({ status: Number(head.split(' ')[1]), body: JSON.parse(payload), text } as never, 'BodyTooLarge');
      expect(head).toMatch(/\r\nConnection: close\r\n/i);
      expect(await stack.rowCounts()).toEqual(before);
    });

    // A client that goes on sending after the answer, its side left open, is not read forever.
    it('closes the connection of a client that reads its 413 and goes on sending, once what was dropped passes the bound', async () => {
      const { hostname, port } = new URL(stack.baseUrl);
      const path = '/system/ws/v19/clientapplications/messaging/conversation/start?anonymousCustomer=yes';
      const chunk = Buffer.concat([Buffer.from(`40000\r\n`), Buffer.alloc(0x40000, ' '), Buffer.from('\r\n')]);
      const { text, sent, sendingWhenClosed } = await new Promise<{ text: string; sent: number; sendingWhenClosed: boolean }>((resolve, reject) => {
        const socket = connect({ port: Number(port), host: hostname, allowHalfOpen: true });
        let text = '';
        let sent = 0;
        // 256 KiB every 10 ms, for up to 20 s: far more than the bound, far longer than the idle time.
        const timer = setInterval(() => {
          if (!socket.destroyed && socket.writableLength < 4 * chunk.length) (sent += chunk.length), socket.write(chunk);
        }, 10);
        const guard = setTimeout(() => (clearInterval(timer), socket.destroy(), reject(new Error(`connection not closed after ${sent} bytes`))), 20_000);
        socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
        socket.on('error', () => undefined);
        socket.on('close', () => {
          const sendingWhenClosed = sent > 0 && !socket.writableEnded;
          clearInterval(timer);
          clearTimeout(guard);
          resolve({ text, sent, sendingWhenClosed });
        });
        socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
      });
      const [head, payload] = text.split('\r\n\r\n');
      expectError({ status: Number(head.split(' ')[1]), body: JSON.parse(payload), text } as never, 'BodyTooLarge');
      expect(sendingWhenClosed).toBe(true);
      expect(sent).toBeGreaterThan(LINGER.maxBytes);
    });

    /**
     * Sends a start whose body keeps coming, 16 KiB every 10 ms for up to 5 s, chunked or under a
     * Content-Length it never reaches; resolves with what was answered, how much had been sent by then
     * and whether the client was still sending when the answer came and when the connection closed.
     */
    function endlessUpload(contentType: string, framing: 'chunked' | 'length'): Promise<{ text: string; sentBeforeAnswer: number; sendingWhenClosed: boolean }> {
      const { hostname, port } = new URL(stack.baseUrl);
      const path = '/system/ws/v19/clientapplications/messaging/conversation/start?anonymousCustomer=yes';
      const opening = contentType.startsWith('multipart') ? '--b0undary\r\nContent-Disposition: form-data; name="c"; filename="c.json"\r\nContent-Type: application/json\r\n\r\n{' : contentType.includes('xml') ? '<conversation>' : '{';
      return new Promise((resolve, reject) => {
        const socket = connect(Number(port), hostname);
        let text = '';
        let sent = 0;
        let sentBeforeAnswer = -1;
        let sending = true;
        const chunk = Buffer.alloc(16 * 1024, ' ');
        const frame = (bytes: Buffer) => (framing === 'chunked' ? Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]) : bytes);
        const timer = setInterval(() => {
          if (socket.destroyed) return;
          sent += chunk.length;
          socket.write(frame(chunk));
        }, 10);
        const stop = setTimeout(() => {
          sending = false;
          clearInterval(timer);
        }, 5000);
        socket.on('data', (c: Buffer) => {
          if (sentBeforeAnswer < 0) sentBeforeAnswer = sent;
          text += c.toString('utf8');
        });
        // Writes after the server closed fail: what matters is what was answered, and when.
        socket.on('error', () => undefined);
        socket.on('close', () => {
          const sendingWhenClosed = sending;
          clearInterval(timer);
          clearTimeout(stop);
          resolve({ text, sentBeforeAnswer, sendingWhenClosed });
        });
        setTimeout(() => (socket.destroy(), reject(new Error(`connection not closed; read ${text.slice(0, 200)}`))), 10_000);
        const length = framing === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${1024 * 1024 * 1024}`;
        socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: ${contentType}\r\n${length}\r\n\r\n`);
        sent += opening.length;
        socket.write(frame(Buffer.from(opening)));
      });
    }

    it.each([
      ['JSON', 'application/json', 'chunked'],
      ['JSON', 'application/json', 'length'],
      ['XML', 'application/xml', 'chunked'],
      ['multipart', 'multipart/form-data; boundary=b0undary', 'chunked'],
    ] as const)('answers a %s body that keeps coming (%s, %s) 413 as soon as it passes the limit, and closes the connection', async (_name, type, framing) => {
      const before = await settledRowCounts(stack);
      const { text, sentBeforeAnswer, sendingWhenClosed } = await endlessUpload(type, framing);
      const [head, payload] = text.split('\r\n\r\n');
      expectError({ status: Number(head.split(' ')[1]), body: JSON.parse(payload), text } as never, 'BodyTooLarge');
      expect(head).toMatch(/\r\nConnection: close\r\n/i);
      // Answered long before the client stopped sending (5 s at 1.6 MB/s), and cut off then.
      expect(sentBeforeAnswer).toBeLessThan(1024 * 1024);
      expect(sendingWhenClosed).toBe(true);
      expect(await stack.rowCounts()).toEqual(before);
      await startOk(stack, anonymous, { token, query: 'anonymousCustomer=yes' });
    });
  });

  describe('content type (415)', () => {
    it.each(['text/plain', 'text/html', 'application/octet-stream', 'application/x-www-form-urlencoded', 'application/json-patch+json', 'image/png'])(
      'refuses %s',
      async (type) => {
        await expectRefused(stack, () => raw(JSON.stringify(anonymous), type), 'UnsupportedContentType', 'Content-Type');
      },
    );

    it('refuses a body without Content-Type', async () => {
      await expectRefused(stack, () => http(`${stack.clientApiUrl}/messaging/conversation/start?anonymousCustomer=yes`, {
        method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: new Uint8Array(Buffer.from(JSON.stringify(anonymous))),
      }), 'UnsupportedContentType');
    });

    it.each(['application/json; charset=iso-8859-1', 'application/json; charset=utf-16', 'application/xml; charset=iso-8859-1', 'application/xml; charset=utf-16', 'text/xml; charset=windows-1252'])(
      'refuses a charset other than UTF-8: %s',
      async (type) => {
        const doc = startDocument(lm, { subject: 'caf\u00e9 \u00fc' });
        const body = type.includes('json') ? JSON.stringify(doc) : toXml('conversation', doc);
        await expectRefused(stack, () => raw(body, type), 'UnsupportedContentType', 'Content-Type');
      },
    );

    it.each([
      ['a plain field of iso-8859-1', 'Content-Disposition: form-data; name="conversation"\r\nContent-Type: text/plain; charset=iso-8859-1'],
      ['a JSON file part of windows-1252', 'Content-Disposition: form-data; name="conversation"; filename="c.json"\r\nContent-Type: application/json; charset=windows-1252'],
      ['a plain field of utf8 (the unregistered spelling)', 'Content-Disposition: form-data; name="conversation"\r\nContent-Type: text/plain; charset=UTF8'],
      ['a plain field of iso-8859-1 on a folded line', 'Content-Disposition: form-data; name="conversation"\r\nContent-Type: text/plain;\r\n charset=iso-8859-1'],
    ])('refuses a multipart part that declares a charset other than UTF-8, as a whole body: %s', async (_name, partHeaders) => {
      // UTF-8 bytes: read in the declared charset they would become "cafÃ©" instead of being refused.
      const doc = JSON.stringify(startDocument(lm, { subject: 'caf\u00e9' }));
      const body = (headers: string) => `--b0undary\r\n${headers}\r\n\r\n${doc}\r\n--b0undary--\r\n`;
      const res = await expectRefused(stack, () => raw(body(partHeaders), 'multipart/form-data; boundary=b0undary'), 'UnsupportedContentType', 'Content-Type');
      expect(res.body.developerMessage).toMatch(/charset .* is not supported/);
      const utf8 = partHeaders.replace(/charset=\S+/, 'charset=utf-8');
      const { conversation } = await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: body(utf8), headers: { 'Content-Type': 'multipart/form-data; boundary=b0undary' } });
      const [activity] = await stack.db.query('SELECT subject FROM activity WHERE conversation_id = ?', [conversation.id]);
      expect(activity.subject).toBe('caf\u00e9');
    });

    it('refuses a multipart part in a Content-Transfer-Encoding other than 7bit, 8bit or binary (415-101, naming it), rather than storing it undecoded', async () => {
      // Read undecoded, the quoted-printable subject would be stored as "caf=C3=A9".
      const doc = JSON.stringify(startDocument(lm, { subject: 'caf=C3=A9' }));
      const body = (encoding: string) =>
        `--b0undary\r\nContent-Disposition: form-data; name="conversation"\r\nContent-Type: application/json\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n${doc}\r\n--b0undary--\r\n`;
      const res = await expectRefused(stack, () => raw(body('quoted-printable'), 'multipart/form-data; boundary=b0undary'), 'UnsupportedContentType', 'Content-Transfer-Encoding');
      expect(res.body.developerMessage).toContain('quoted-printable');
      const { conversation } = await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: body('binary'), headers: { 'Content-Type': 'multipart/form-data; boundary=b0undary' } });
      const [activity] = await stack.db.query('SELECT subject FROM activity WHERE conversation_id = ?', [conversation.id]);
      expect(activity.subject).toBe('caf=C3=A9');
    });

    it.each(['utf-16', 'x-no-such-charset'])('refuses a multipart part declaring charset=%s, which busboy cannot decode, and keeps answering', async (charset) => {
      const doc = JSON.stringify(startDocument(lm, { subject: 'caf\u00e9' }));
      const body = `--b0undary\r\nContent-Disposition: form-data; name="doc"\r\nContent-Type: application/json; charset=${charset}\r\n\r\n${doc}\r\n--b0undary--\r\n`;
      await expectRefused(stack, () => raw(body, 'multipart/form-data; boundary=b0undary'), 'UnsupportedContentType', 'Content-Type');
      await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: JSON.stringify(anonymous), headers: { 'Content-Type': 'application/json' } });
    });

    it('accepts the types case-insensitively and with parameters', async () => {
      await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: JSON.stringify(anonymous), headers: { 'Content-Type': 'Application/JSON; charset=UTF-8' } });
      await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: toXml('conversation', anonymous), headers: { 'Content-Type': 'text/xml; charset=utf-8' } });
    });
  });

  describe('what the HTTP layer cannot read (400)', () => {
    it.each(['gzip', 'deflate', 'br'])('refuses a body its Content-Encoding (%s) cannot decode as malformed (400-111)', async (encoding) => {
      await expectRefused(stack, () => raw(JSON.stringify(anonymous), 'application/json', undefined, { 'Content-Encoding': encoding }), 'BodyMalformed');
    });

    const multipartOf = (text: string) =>
      Buffer.from(`--b0undary\r\nContent-Disposition: form-data; name="conversation"; filename="c.json"\r\nContent-Type: application/json\r\n\r\n${text}\r\n--b0undary--\r\n`);
    const multipartType = 'multipart/form-data; boundary=b0undary';

    it.each([
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      ['br', brotliCompressSync],
    ] as const)('reads a multipart body by its Content-Encoding (%s), as JSON and XML bodies are', async (encoding, compress) => {
      const body = compress(multipartOf(JSON.stringify(anonymous)));
      await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: body, headers: { 'Content-Type': multipartType, 'Content-Encoding': encoding } });
    });

    it('refuses a Content-Encoding it cannot decode (415-101, naming Content-Encoding), on a multipart body as on JSON', async () => {
      await expectRefused(stack, () => raw(JSON.stringify(anonymous), 'application/json', undefined, { 'Content-Encoding': 'compress' }), 'UnsupportedContentType', 'Content-Encoding');
      await expectRefused(stack, () => raw(multipartOf(JSON.stringify(anonymous)), multipartType, undefined, { 'Content-Encoding': 'compress' }), 'UnsupportedContentType', 'Content-Encoding');
    });

    it('refuses a compressed multipart part that decodes to more than the limit (413-101)', async () => {
      const bomb = gzipSync(multipartOf(JSON.stringify(anonymous).replace(/^\{/, `{${' '.repeat(1024 * 1024)}`)));
      expect(bomb.length).toBeLessThan(BODY_LIMIT);
      await expectRefused(stack, () => raw(bomb, multipartType, undefined, { 'Content-Encoding': 'gzip' }), 'BodyTooLarge');
    });

    it('refuses a URL path that is not percent-encoded UTF-8 (400-150), naming the URL', async () => {
      const res = await expectRefused(stack, () => http(`${stack.clientApiUrl}/messaging/conversation/%E0%A4%A`, { headers: { Authorization: `Bearer ${token}` } }), 'InvalidRequest', 'URL');
      expect((res.body as { userMessage: string }).userMessage).toBe('The request is invalid.');
    });

    it('answers a URL path that is not percent-encoded UTF-8 in the format and language asked, as every error', async () => {
      const res = await expectRefused(
        stack,
        () => http(`${stack.clientApiUrl}/messaging/conversation/%FF`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/xml', 'Accept-Language': 'fr' } }),
        'InvalidRequest',
        'URL',
      );
      expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
      expect(res.xmlRoot).toBe('WSError');
      expect(res.headers.get('content-language')).toBe('fr');
      expect((res.body as { userMessage: string }).userMessage).toBe("La requête n'est pas valide.");
      expect([res.headers.get('vary'), res.headers.get('cache-control')]).toEqual(['Accept, Accept-Language', 'no-store']);
    });
  });

  describe('negotiation (406) and error rendering', () => {
    it.each(['en;q=2', 'en_US', ';q=1', 'en;level=1'])('refuses the malformed Accept-Language %p', async (value) => {
      await expectStartRefused(stack, anonymous, { token, query: 'anonymousCustomer=yes', headers: { 'Accept-Language': value } }, 'InvalidAcceptLanguage');
    });

    it.each(['it', 'zh-CN, ja;q=0.5', 'fr;q=0'])('refuses Accept-Language %p that names no supported language', async (value) => {
      await expectStartRefused(stack, anonymous, { token, query: 'anonymousCustomer=yes', headers: { 'Accept-Language': value } }, 'InvalidAcceptLanguage');
    });

    it.each(['text/html', 'application/pdf', 'application/json;q=0, application/xml;q=0', 'application/json; charset=iso-8859-1'])('refuses Accept %p', async (value) => {
      await expectStartRefused(stack, anonymous, { token, query: 'anonymousCustomer=yes', headers: { Accept: value } }, 'UnsupportedAccept');
    });

    // A q-value past 1 or a range that is none (`*/xml`) is refused as a malformed Accept-Language is, not read as XML.
    it.each(['application/json, application/xml;q=2', '*/xml', 'application/xml;q=0.1234'])('refuses the malformed Accept %p', async (value) => {
      await expectStartRefused(stack, anonymous, { token, query: 'anonymousCustomer=yes', headers: { Accept: value } }, 'UnsupportedAccept');
    });

    it('answers JSON for */* and no Accept, XML when asked first', async () => {
      const any = await startOk(stack, anonymous, { token, query: 'anonymousCustomer=yes', headers: { Accept: '*/*' } });
      expect(any.conversation.id).toMatch(/^[0-9a-f-]{36}$/);
      const res = await start(stack, anonymous, { token, query: 'anonymousCustomer=yes', headers: { Accept: 'application/xml, application/json;q=0.5' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
      expect(res.xmlRoot).toBe('conversation');
    });

    it.each(['', ' ', ' , '])('answers JSON for an Accept %p naming nothing, as for no Accept', async (value) => {
      const res = await start(stack, anonymous, { token, query: 'anonymousCustomer=yes', headers: { Accept: value } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.body.conversation.id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it.each([
      ['application/json; charset=utf-8', /^application\/json/],
      ['application/xml; charset=utf-8', /^application\/xml/],
      ['application/xml;charset="UTF-8";q=0.9, text/html', /^application\/xml/],
    ])('takes media-type parameters in Accept %p', async (value, type) => {
      const res = await start(stack, anonymous, { token, query: 'anonymousCustomer=yes', headers: { Accept: value } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(type);
    });

    it.each([
      ['text/xml', 'text/xml; charset=utf-8'],
      ['text/xml, application/xml', 'text/xml; charset=utf-8'],
      ['application/xml, text/xml', 'application/xml; charset=utf-8'],
      ['application/json;q=0.5, text/*', 'text/xml; charset=utf-8'],
    ])('answers XML for Accept %p, as the type Accept chose (%s)', async (accept, type) => {
      const res = await start(stack, anonymous, { token, query: 'anonymousCustomer=yes', headers: { Accept: accept } });
      expect([res.status, res.headers.get('content-type'), res.xmlRoot]).toEqual([200, type, 'conversation']);
      const refused = await start(stack, anonymous, { token, query: 'anonymousCustomer=yes&foo=1', headers: { Accept: accept } });
      expect([refused.status, refused.headers.get('content-type'), refused.xmlRoot]).toEqual([400, type, 'WSError']);
    });

    it.each(['application/soap+xml', 'application/atom+xml'])('refuses Accept %p, an XML vocabulary of its own, as a request body of that type is', async (accept) => {
      const res = await start(stack, anonymous, { token, query: 'anonymousCustomer=yes', headers: { Accept: accept } });
      expectError(res, 'UnsupportedAccept', 'Accept');
    });

    it('renders an error as a WSError XML document when XML is accepted', async () => {
      const res = await start(stack, anonymous, { token, query: 'anonymousCustomer=yes&foo=1', headers: { Accept: 'application/xml' } });
      expectError(res, 'UnsupportedParameter', 'foo');
      expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
      expect(res.xmlRoot).toBe('WSError');
      expect(res.text).toContain(`<code>${ERROR_CATALOGUE.UnsupportedParameter.code}</code>`);
      expect(res.body.userMessage).toBe(en.UnsupportedParameter.replace('{param}', 'foo'));
    });

    it('escapes what the client sent when it echoes it in XML', async () => {
      const res = await start(stack, anonymous, { token, query: `anonymousCustomer=yes&${encodeURIComponent('<a&b>')}=1`, headers: { Accept: 'application/xml' } });
      expectError(res, 'UnsupportedParameter', '<a&b>');
      expect(res.text).toContain('&lt;a&amp;b&gt;');
    });

    it.each([
      ['fr', fr, 'fr'],
      ['de-AT', de, 'de'],
      ['es-ES;q=0.9, en;q=0.1', es, 'es'],
      ['it, fr;q=0.8, de;q=0.5', fr, 'fr'],
      ['en;q=0.2, DE;q=0.7, es;q=0.6', de, 'de'],
      ['*', en, 'en'],
      [undefined, en, 'en'],
    ] as const)('localizes userMessage for Accept-Language %p', async (value, catalogue, language) => {
      const headers: Record<string, string> = value === undefined ? {} : { 'Accept-Language': value };
      const res = await start(stack, anonymous, { token, query: '', headers });
      expectError(res, 'ConversationModeMissing');
      expect(res.body.userMessage).toBe(catalogue.ConversationModeMissing);
      expect(res.headers.get('content-language')).toBe(language);
      expect(res.body.developerMessage).toMatch(/anonymousCustomer/);
    });

    it.each([
      ['de', 'de'],
      ['fr-CA, en;q=0.5', 'fr'],
      ['*, en;q=0', 'de'],
      ['en, *;q=0', 'en'],
      [undefined, 'en'],
    ] as const)('names the language in Content-Language on a success too (Accept-Language %p)', async (value, language) => {
      const headers: Record<string, string> = value === undefined ? {} : { 'Accept-Language': value };
      const res = await start(stack, anonymous, { token, query: 'anonymousCustomer=yes', headers });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-language')).toBe(language);
    });

    it('says that answers vary by Accept and Accept-Language, and lets no cache store one', async () => {
      const started = await start(stack, anonymous, { token, query: 'anonymousCustomer=yes', headers: { Accept: 'application/xml', 'Accept-Language': 'fr' } });
      const refused = await start(stack, anonymous, { token, query: 'anonymousCustomer=yes&foo=1' });
      const configuration = await http(`${stack.clientApiUrl}/messaging/configuration?entrypoint=1001`, { headers: { Authorization: `Bearer ${token}` } });
      const conversation = await http(`${stack.clientApiUrl}/messaging/conversation/${started.body.id}`, { headers: { Authorization: `Bearer ${token}` } });
      expect([started.status, refused.status, configuration.status, conversation.status]).toEqual([200, 400, 200, 200]);
      for (const res of [started, refused, configuration, conversation]) {
        expect(res.headers.get('vary')).toBe('Accept, Accept-Language');
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
    });

    it('interpolates values into localized messages', async () => {
      const res = await start(stack, anonymous, { token, query: 'anonymousCustomer=yes&bar=1', headers: { 'Accept-Language': 'de' } });
      expectError(res, 'UnsupportedParameter');
      expect(res.body.userMessage).toBe(de.UnsupportedParameter.replace('{param}', 'bar'));
    });
  });
});
